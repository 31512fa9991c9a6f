using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Demo;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Tests;

public sealed class DemoNarratorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private const string GraphNotReady = "Microsoft Graph does not know the new guest yet (404 on POST /teams/t-1/members); Teams needs a few "
        + "seconds after an invitation before the guest can be added, so the step waits and tries again.";

    [Fact]
    public void Observe_StepRetriesThenSucceeds_SaysStartedRetryingWithTheReasonAndSucceeded()
    {
        var narrator = new DemoNarrator(verbose: false);

        var first = narrator.Observe(Execution(Step(6, "add_user_to_teams_channel", StepStatus.Running, null, Attempt(1, AttemptOutcome.Running))));
        var second = narrator.Observe(Execution(
            Step(6, "add_user_to_teams_channel", StepStatus.Pending, null, Attempt(1, AttemptOutcome.Failed, GraphNotReady)),
            nextRunAt: T0.AddSeconds(3)));
        var third = narrator.Observe(Execution(Step(6, "add_user_to_teams_channel", StepStatus.Succeeded,
            Json("""{"teams_membership_id":"m-42","added_to_team":true,"teams_roles":["guest"],"channel_membership_id":"cm-7"}"""),
            Attempt(1, AttemptOutcome.Failed, GraphNotReady), Attempt(2, AttemptOutcome.Succeeded))));

        Assert.Equal("  6 add_user_to_teams_channel    started", Assert.Single(first));
        var retry = string.Join(" ", second.Select(l => l.Trim()));
        Assert.StartsWith("  6 add_user_to_teams_channel    attempt 1 failed, retrying in 2.0 s: Microsoft Graph does not know", second[0], StringComparison.Ordinal);
        Assert.Contains("so the step waits and tries again.", retry, StringComparison.Ordinal);
        Assert.True(second.Count > 1, "the long reason wraps onto a second line");
        Assert.All(second.Skip(1), l => Assert.StartsWith(new string(' ', 33), l, StringComparison.Ordinal));
        Assert.Equal("  6 add_user_to_teams_channel    attempt 2 started", third[0]);
        Assert.Equal("  6 add_user_to_teams_channel    succeeded in 1.5 s after 2 attempts: teams_membership_id=m-42,", third[1]);
        Assert.Equal(new string(' ', 33) + "channel_membership_id=cm-7, added_to_team=true", third[2]);
        Assert.Equal(3, third.Count);
        Assert.All(first.Concat(second).Concat(third), l => Assert.True(l.Length <= ConsoleText.Width, l));
    }

    [Fact]
    public void Observe_TransitionsBetweenTwoSnapshots_AreAllToldOnce()
    {
        var narrator = new DemoNarrator(verbose: false);
        var done = Execution(
            Step(1, "validate_partner_user", StepStatus.Succeeded, Json("""{"email":"ada@demo.example"}"""), Attempt(1, AttemptOutcome.Succeeded)),
            Step(2, "add_user_to_slack_group", StepStatus.Skipped, Json("""{"skipped":true,"reason":"The org has no Slack user group id."}"""),
                Attempt(1, AttemptOutcome.Skipped)));

        var lines = narrator.Observe(done);
        var again = narrator.Observe(done);

        Assert.Equal(
        [
            "  1 validate_partner_user        started",
            "  1 validate_partner_user        succeeded in 1.5 s: email=ada@demo.example",
            "  2 add_user_to_slack_group      started",
            "  2 add_user_to_slack_group      skipped: The org has no Slack user group id.",
        ], lines);
        Assert.Empty(again);
    }

    [Fact]
    public void Observe_PermanentFailure_IsOneFailedLineWithTheErrorNotARetry()
    {
        var narrator = new DemoNarrator(verbose: false);
        var failed = Step(9, "share_documentation", StepStatus.Failed, null, Attempt(1, AttemptOutcome.Failed, "SMTP is not configured: set HyOpps:Email:Host."))
            with { Error = "SMTP is not configured: set HyOpps:Email:Host.", ErrorType = "not_configured" };

        var lines = narrator.Observe(Execution(failed));

        Assert.Equal(
        [
            "  9 share_documentation          started",
            "  9 share_documentation          failed (not_configured) in 1.5 s: SMTP is not configured: set",
            "                                 HyOpps:Email:Host.",
        ], lines);
    }

    [Fact]
    public void Observe_Verbose_AddsTheFullOutputJsonUnderTheStep()
    {
        var narrator = new DemoNarrator(verbose: true);
        var output = Json("""{"invite_redeem_url":"https://invitations.example/redeem?tenant=t-1&ticket=a-very-long-ticket-value","teams_user_id":"u-1"}""");

        var lines = narrator.Observe(Execution(Step(5, "invite_to_teams", StepStatus.Succeeded, output, Attempt(1, AttemptOutcome.Succeeded))));

        Assert.Equal("  5 invite_to_teams              succeeded in 1.5 s: teams_user_id=u-1", lines[1]);
        var json = string.Join("\n", lines.Skip(2));
        Assert.Contains("\"invite_redeem_url\": \"https://invitations.example/redeem?tenant=t-1\\u0026ticket=a-very-long-ticket-value\"", json, StringComparison.Ordinal);
        Assert.Equal("u-1", JsonDocument.Parse(json).RootElement.GetProperty("teams_user_id").GetString());
    }

    [Theory]
    [InlineData("short", 20)]
    [InlineData("https://example.test/a/very/long/url/that/has/no/spaces/at/all/and/goes/on/and/on/and/on/for/more/than/a/line", 40)]
    [InlineData("many short words that together are much wider than the line allows and so must wrap", 30)]
    public void Wrap_AnyText_NoLineWiderThanTheWidthAndNoWordLost(string text, int width)
    {
        var lines = ConsoleText.Wrap("  1 step ", text, width: width);

        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length}: {l}"));
        Assert.StartsWith("  1 step ", lines[0], StringComparison.Ordinal);
        Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal),
            string.Concat(lines.Select((l, i) => (i == 0 ? l["  1 step ".Length..] : l).Replace(" ", string.Empty, StringComparison.Ordinal))));
    }

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static StepAttemptResponse Attempt(int number, AttemptOutcome outcome, string? error = null)
    {
        var started = T0.AddSeconds(number - 1);
        return new StepAttemptResponse(1, number, outcome, started, outcome == AttemptOutcome.Running ? null : started.AddMilliseconds(1000),
            outcome == AttemptOutcome.Running ? null : 1000, error, error is null ? null : "transient", null);
    }

    private static StepResponse Step(int number, string id, StepStatus status, JsonElement? output, params StepAttemptResponse[] attempts)
        => new(number, id, id, status, 1, output, null, null, null, T0,
            status is StepStatus.Succeeded or StepStatus.Skipped or StepStatus.Failed ? T0.AddMilliseconds(1500) : null,
            status is StepStatus.Succeeded or StepStatus.Skipped or StepStatus.Failed ? 1500 : null, attempts);

    private static ExecutionDetailResponse Execution(StepResponse step, DateTimeOffset? nextRunAt = null) => Execution([step], nextRunAt);

    private static ExecutionDetailResponse Execution(StepResponse first, StepResponse second) => Execution([first, second], null);

    private static ExecutionDetailResponse Execution(StepResponse[] steps, DateTimeOffset? nextRunAt)
        => new("e-1", "new_partner_user", 1, ExecutionStatus.Running, new Dictionary<string, string>(), Json("{}"),
            steps.FirstOrDefault(s => s.Status is StepStatus.Pending or StepStatus.Running)?.Id, T0, T0, null, null, null, null, nextRunAt, steps, []);
}
