using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Teams.Tests;

/// <summary>A Graph simulator plus a service provider with <c>AddTeams</c> pointed at it, and helpers to run the steps like the runtime does.</summary>
internal sealed class TeamsTestHost : IAsyncDisposable
{
    private TeamsTestHost(GraphSimulator graph, ServiceProvider services)
    {
        Graph = graph;
        Services = services;
        Logs = services.GetFakeLogCollector();
    }

    public GraphSimulator Graph { get; }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public static async Task<TeamsTestHost> StartAsync(Action<TeamsOptions>? configure = null, GraphSimulator? graph = null)
    {
        graph ??= new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        services.AddHyOpps().AddTeams(o =>
        {
            o.TenantId = graph.TenantId;
            o.ClientId = graph.ClientId;
            o.ClientSecret = graph.ClientSecret;
            o.GraphBaseUrl = graph.GraphBaseUrl.ToString();
            o.AuthorityHost = graph.AuthorityHost.ToString();
            o.MembershipVisibilityRetryDelay = TimeSpan.FromSeconds(5);
            o.MembershipVisibilityTimeout = TimeSpan.FromMinutes(2);
            configure?.Invoke(o);
        });
        services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(graph.CreateHttpMessageHandler);
        return new TeamsTestHost(graph, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public static PartnerOnboardingInput Input(string? teamId, string? channelId = null, string email = "Ada.Lovelace@Partner.example")
        => new()
        {
            Org = new PartnerOrg { Name = "Acme Partners", TeamsTeamId = teamId, TeamsChannelId = channelId },
            User = new PartnerUser { Email = email, FirstName = "Ada", LastName = "Lovelace" },
        };

    /// <summary>The offboarding input of the person whose onboarding recorded the Teams user in <paramref name="invite"/>'s output.</summary>
    public static PartnerOnboardingInput Recorded(PartnerOnboardingInput input, StepResult invite)
        => Recorded(input, (string)invite.Output!["teams_user_id"]!);

    public static PartnerOnboardingInput Recorded(PartnerOnboardingInput input, string userId)
        => input with { User = input.User with { Accounts = new RecordedAccounts { Teams = new RecordedAccount { Id = userId } } } };

    public TestStepContext Context(PartnerOnboardingInput input, string stepId)
        => new(input, Services, stepId) { TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("HyOpps.Steps." + stepId) };

    /// <summary>Resolves the step in a fresh scope, as the runtime does for every attempt, and runs it.</summary>
    public async Task<StepResult> RunAsync<TStep>(TestStepContext context)
        where TStep : IWorkflowStep
    {
        await using var scope = Services.CreateAsyncScope();
        var step = (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, typeof(TStep));
        return await step.ExecuteAsync(context, TestContext.Current.CancellationToken);
    }

    public Task<StepResult> InviteAsync(PartnerOnboardingInput input)
        => RunAsync<InviteToTeamsStep>(Context(input, InviteToTeamsStep.Id));

    public TestStepContext AddContext(PartnerOnboardingInput input, StepResult invite)
        => Context(input, AddUserToTeamsChannelStep.Id).WithOutput(InviteToTeamsStep.Id, invite.Output!);

    public async Task<(StepResult Invite, StepResult Add)> OnboardAsync(PartnerOnboardingInput input)
    {
        var invite = await InviteAsync(input);
        var add = await RunAsync<AddUserToTeamsChannelStep>(AddContext(input, invite));
        return (invite, add);
    }

    public int CountRequests(string method, string pathPrefix)
        => Graph.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Graph.DisposeAsync();
    }
}
