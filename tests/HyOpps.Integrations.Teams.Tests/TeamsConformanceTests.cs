using HyOpps.Integrations.Teams.Internal;
using HyOpps.Testing.Graph;
using HyOpps.Workflows.Testing.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Graph;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class TeamsConformanceTests : IntegrationConformanceTests<TeamsOptions>
{
    private readonly GraphSimulator _graph = new();

    protected override string DefaultSectionName => TeamsOptions.DefaultSectionName;

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["TenantId"] = _graph.TenantId,
        ["ClientId"] = _graph.ClientId,
        ["ClientSecret"] = _graph.ClientSecret,
        ["GraphBaseUrl"] = _graph.GraphBaseUrl.ToString(),
        ["AuthorityHost"] = _graph.AuthorityHost.ToString(),
        ["MaxRetryAttempts"] = "0",
    };

    protected override IReadOnlyCollection<string> SecretKeys => ["ClientSecret"];

    protected override (string Key, string Value) InvalidSetting => ("TenantId", "not a tenant!");

    protected override IReadOnlyList<Type> StepTypes => [typeof(InviteToTeamsStep), typeof(AddUserToTeamsChannelStep), typeof(RemoveUserFromTeamsStep)];

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder) => builder.AddTeams();

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section) => builder.AddTeams(section);

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<TeamsOptions> configure) => builder.AddTeams(configure);

    // The simulator's token endpoint is https with a self-signed certificate: trust it for token requests only.
    protected override void ConfigureServices(IServiceCollection services)
        => services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(_graph.CreateHttpMessageHandler);

    public override async ValueTask InitializeAsync() => await _graph.StartAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _graph.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var graph = services.GetRequiredKeyedService<GraphServiceClient>(TeamsServiceNames.GraphClientKey);
        var found = await graph.FindUserByEmailAsync("ada@partner.example", cancellationToken);
        _graph.InjectError("/v1.0/users", 500, times: 10);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => graph.FindUserByEmailAsync("ada@partner.example", cancellationToken));
        return [found?.Id, failure.ToString()];
    }
}
