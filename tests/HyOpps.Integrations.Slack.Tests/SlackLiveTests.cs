using HyOpps.Integrations.Slack.Internal;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Slack.Tests;

/// <summary>Runs against a real Slack workspace when HYOPPS_LIVE_SLACK_BOT_TOKEN, _USERGROUP_ID and _EMAIL are set; skipped otherwise.</summary>
public sealed class SlackLiveTests
{
    [Fact]
    public async Task AddUserToSlackGroup_LiveWorkspace_UserIsMemberAndSecondRunChangesNothing()
    {
        var token = Environment.GetEnvironmentVariable("HYOPPS_LIVE_SLACK_BOT_TOKEN");
        var group = Environment.GetEnvironmentVariable("HYOPPS_LIVE_SLACK_USERGROUP_ID");
        var email = Environment.GetEnvironmentVariable("HYOPPS_LIVE_SLACK_EMAIL");
        Assert.SkipWhen(
            string.IsNullOrWhiteSpace(token) || string.IsNullOrWhiteSpace(group) || string.IsNullOrWhiteSpace(email),
            "Set HYOPPS_LIVE_SLACK_BOT_TOKEN, HYOPPS_LIVE_SLACK_USERGROUP_ID and HYOPPS_LIVE_SLACK_EMAIL to run against a real Slack workspace.");

        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddSlack(o => o.BotToken = token);
        await using var provider = services.BuildServiceProvider();
        var input = new AddUserToSlackGroupInput { Email = email!, DisplayName = "Live Test", UserGroupId = group! };
        var ct = TestContext.Current.CancellationToken;
        var step = provider.GetRequiredService<AddUserToSlackGroupStep>();

        var first = await step.ExecuteAsync(input, new TestStepContext(input, provider, AddUserToSlackGroupStep.Id), ct);
        var second = await step.ExecuteAsync(input, new TestStepContext(input, provider, AddUserToSlackGroupStep.Id), ct);

        var userId = first.Output!["slack_user_id"]!.GetValue<string>();
        Assert.Contains(userId, await provider.GetRequiredService<SlackClient>().ListUserGroupMembersAsync(group!, ct));
        Assert.Equal(StepOutcome.Succeeded, second.Outcome);
        Assert.True(second.Output!["already_member"]!.GetValue<bool>());
    }
}
