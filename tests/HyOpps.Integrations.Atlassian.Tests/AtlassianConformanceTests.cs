using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Testing.Atlassian;
using HyOpps.Workflows.Testing.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AtlassianConformanceTests : IntegrationConformanceTests<AtlassianOptions>
{
    private readonly AtlassianSimulator _atlassian = new();

    protected override string DefaultSectionName => AtlassianOptions.DefaultSectionName;

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["SiteUrl"] = _atlassian.SiteUrl.ToString(),
        ["Email"] = _atlassian.Email,
        ["ApiToken"] = _atlassian.ApiToken,
        ["OrgAdminApiKey"] = _atlassian.OrgAdminApiKey,
        ["OrgId"] = _atlassian.OrgId,
        ["AdminApiBaseUrl"] = _atlassian.AdminApiBaseUrl.ToString(),
        ["MaxRetryAttempts"] = "0",
    };

    protected override IReadOnlyCollection<string> SecretKeys => ["ApiToken", "OrgAdminApiKey"];

    protected override (string Key, string Value) InvalidSetting => ("MaxRetryAttempts", "99");

    protected override IReadOnlyList<Type> StepTypes => [typeof(AddUserToAtlassianGroupStep), typeof(RemoveUserFromAtlassianGroupStep)];

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder) => builder.AddAtlassian();

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section) => builder.AddAtlassian(section);

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<AtlassianOptions> configure) => builder.AddAtlassian(configure);

    public override async ValueTask InitializeAsync() => await _atlassian.StartAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _atlassian.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _atlassian.AddAccount("ada@partner.example", "Ada Lovelace");
        var client = services.GetRequiredService<AtlassianClient>();
        var found = await client.FindUserByEmailAsync("ada@partner.example", cancellationToken);
        _atlassian.InjectError("/rest/api/3/user/search", 500, times: 10);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.FindUserByEmailAsync("ada@partner.example", cancellationToken));
        return [found, failure.ToString()];
    }
}
