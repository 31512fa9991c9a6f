using HyOpps.Integrations.Teams;
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

    /// <summary>A test's person, team and accounts, mapped onto each step's own input as a definition would.</summary>
    public sealed record Case(string Email, string? TeamId, string? ChannelId, string? RecordedUserId = null, string? InvitedUserId = null)
    {
        public object For(string stepId) => stepId switch
        {
            InviteToTeamsStep.Id => new InviteToTeamsInput { Email = Email, DisplayName = "Ada Lovelace" },
            AddUserToTeamsChannelStep.Id => new AddUserToTeamsChannelInput { TeamsUserId = InvitedUserId ?? string.Empty, TeamId = TeamId!, ChannelId = ChannelId },
            RemoveUserFromTeamsStep.Id => new RemoveUserFromTeamsInput { TeamsUserId = RecordedUserId!, Email = Email, TeamId = TeamId! },
            _ => throw new ArgumentOutOfRangeException(nameof(stepId), stepId, null),
        };
    }

    public static Case Input(string? teamId, string? channelId = null, string email = "Ada.Lovelace@Partner.example") => new(email, teamId, channelId);

    /// <summary>The offboarding input of the person whose onboarding recorded the Teams user in <paramref name="invite"/>'s output.</summary>
    public static Case Recorded(Case input, StepResult invite)
        => Recorded(input, (string)invite.Output!["teams_user_id"]!);

    public static Case Recorded(Case input, string userId) => input with { RecordedUserId = userId };

    public TestStepContext Context(Case input, string stepId)
        => new(input.For(stepId), Services, stepId) { TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("HyOpps.Steps." + stepId) };

    /// <summary>Resolves the step in a fresh scope, as the runtime does for every attempt, and runs it.</summary>
    public async Task<StepResult> RunAsync<TStep>(TestStepContext context)
        where TStep : IWorkflowStep
    {
        await using var scope = Services.CreateAsyncScope();
        var step = (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, typeof(TStep));
        return await step.ExecuteAsync(context, TestContext.Current.CancellationToken);
    }

    public Task<StepResult> InviteAsync(Case input)
        => RunAsync<InviteToTeamsStep>(Context(input, InviteToTeamsStep.Id));

    public TestStepContext AddContext(Case input, StepResult invite)
        => Context(input with { InvitedUserId = (string?)invite.Output!["teams_user_id"] }, AddUserToTeamsChannelStep.Id).WithOutput(InviteToTeamsStep.Id, invite.Output!);

    public async Task<(StepResult Invite, StepResult Add)> OnboardAsync(Case input)
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
