using HyOpps.Integrations.Slack.Internal;
using HyOpps.Testing.Slack;
using HyOpps.Workflows.Testing.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackConformanceTests : IntegrationConformanceTests<SlackOptions>
{
    private readonly SlackSimulator _slack = new();

    protected override string DefaultSectionName => SlackOptions.DefaultSectionName;

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["BotToken"] = _slack.BotToken,
        ["AdminToken"] = _slack.AdminToken,
        ["TeamId"] = _slack.TeamId,
        ["BaseUrl"] = _slack.ApiBaseAddress.ToString(),
        ["RetryDelay"] = "00:00:00.010",
    };

    protected override IReadOnlyCollection<string> SecretKeys => ["BotToken", "AdminToken"];

    protected override (string Key, string Value) InvalidSetting => ("MaxRetryAttempts", "99");

    protected override IReadOnlyList<Type> StepTypes => [typeof(AddUserToSlackGroupStep), typeof(RemoveUserFromSlackGroupStep)];

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder) => builder.AddSlack();

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section) => builder.AddSlack(section);

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<SlackOptions> configure) => builder.AddSlack(configure);

    public override async ValueTask InitializeAsync() => await _slack.StartAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _slack.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _slack.AddUser("ada@partner.example", "Ada Lovelace");
        var client = services.GetRequiredService<SlackClient>();
        var found = await client.LookupUserByEmailAsync("ada@partner.example", cancellationToken);
        _slack.InjectError("users.lookupByEmail", 500, times: 10);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.LookupUserByEmailAsync("ada@partner.example", cancellationToken));
        return [found, failure.ToString()];
    }
}
