using HyOpps.Integrations.Slack.Internal;
using System.Text.Json;
using HyOpps.Integrations.Slack;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Slack.Tests;

/// <summary>A Slack simulator on 127.0.0.1 plus a service provider with <c>AddSlack</c> pointed at it; one per test.</summary>
internal sealed class SlackHarness : IAsyncDisposable
{
    private SlackHarness(SlackSimulator simulator, ServiceProvider services)
    {
        Simulator = simulator;
        Services = services;
    }

    public SlackSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SlackHarness> StartAsync(
        Action<SlackOptions, SlackSimulator>? configure = null, bool withAdminToken = false, Action<IServiceCollection>? services = null)
    {
        var simulator = new SlackSimulator();
        await simulator.StartAsync(Ct);
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        collection.AddHyOpps().AddSlack(o =>
        {
            o.BotToken = simulator.BotToken;
            o.BaseUrl = simulator.ApiBaseAddress;
            o.RetryDelay = TimeSpan.Zero;
            o.Timeout = TimeSpan.FromSeconds(10);
            if (withAdminToken)
            {
                o.AdminToken = simulator.AdminToken;
                o.TeamId = simulator.TeamId;
            }

            configure?.Invoke(o, simulator);
        });
        services?.Invoke(collection);
        return new SlackHarness(simulator, collection.BuildServiceProvider(validateScopes: true));
    }

    /// <summary>A test's person and user group, mapped onto each step's own input.</summary>
    public sealed record Case(string Email, string? UserGroupId, string? ChannelId, string? RecordedUserId)
    {
        public AddUserToSlackGroupInput ToAdd() => new() { Email = Email, DisplayName = "Ada Lovelace", UserGroupId = UserGroupId!, ChannelId = ChannelId };

        public RemoveUserFromSlackGroupInput ToRemove() => new() { SlackUserId = RecordedUserId!, Email = Email, UserGroupId = UserGroupId! };
    }

    public static Case Input(string email, string? userGroupId, string? channelId = null, string? recordedUserId = null)
        => new(email, userGroupId, channelId, recordedUserId);

    public TestStepContext Context(Case input, string stepId = AddUserToSlackGroupStep.Id)
        => new(stepId == AddUserToSlackGroupStep.Id ? input.ToAdd() : input.ToRemove(), Services, stepId)
        {
            TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("HyOpps.Step." + stepId),
        };

    public async Task<StepResult> AddAsync(TestStepContext context)
        => await Services.GetRequiredService<AddUserToSlackGroupStep>().ExecuteAsync(context.GetInput<AddUserToSlackGroupInput>(), context, Ct);

    public Task<StepResult> AddAsync(Case input) => AddAsync(Context(input));

    public async Task<StepResult> RemoveAsync(Case input)
    {
        var context = Context(input, RemoveUserFromSlackGroupStep.Id);
        return await Services.GetRequiredService<RemoveUserFromSlackGroupStep>().ExecuteAsync(input.ToRemove(), context, Ct);
    }

    public SlackClient Client => Services.GetRequiredService<SlackClient>();

    public static T Output<T>(StepResult result)
        => JsonSerializer.Deserialize<T>(result.Output!.ToJsonString(), HyOppsJson.SerializerOptions)!;

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
