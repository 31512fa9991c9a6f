using System.Net;
using System.Text.Json.Nodes;
using HyOpps.Integrations.Slack.Internal;
using HyOpps.Testing.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostMessageAsync_JsonWithBlocks_IsRecordedWithBearerHeader()
    {
        await using var h = await SlackHarness.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
        h.Simulator.TimeProvider = time;
        var channel = h.Simulator.CreateChannel("hyopps-alerts");
        JsonArray blocks = [new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = "*failed*" } }];

        var posted = await h.Client.PostMessageAsync(new SlackChatMessage(channel, "Onboarding failed", blocks), Ct);

        Assert.Equal(channel, posted.Channel);
        var message = Assert.Single(h.Simulator.GetChannelMessages(channel));
        Assert.Equal(posted.Ts, message.Ts);
        Assert.Equal("Onboarding failed", message.Text);
        Assert.Equal(time.GetUtcNow(), message.PostedAt);
        Assert.False(message.UnfurlLinks);
        var recordedBlocks = Assert.IsType<JsonArray>(JsonNode.Parse(message.BlocksJson!));
        Assert.Equal("*failed*", recordedBlocks[0]!["text"]!["text"]!.GetValue<string>());
        var call = Assert.Single(h.Simulator.Calls);
        Assert.Equal("POST", call.HttpMethod);
        Assert.True(call.UsedAuthorizationHeader);

        // JSON with a charset: Slack adds no missing_charset warning, so nothing is logged at Warning.
        Assert.DoesNotContain(h.Logs.GetSnapshot(), r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Theory]
    [InlineData("unknown", "channel_not_found")]
    [InlineData("not-member", "not_in_channel")]
    [InlineData("archived", "is_archived")]
    public async Task PostMessageAsync_ChannelProblem_ThrowsPermanentSlackError(string which, string expected)
    {
        await using var h = await SlackHarness.StartAsync();
        var channel = which switch
        {
            "not-member" => h.Simulator.CreateChannel("private-ops", isPrivate: true, appIsMember: false),
            "archived" => h.Simulator.CreateChannel("old"),
            _ => "C0NOPE",
        };
        if (which == "archived")
        {
            h.Simulator.ArchiveChannel(channel);
        }

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.Equal(expected, ex.Error);
        Assert.Equal("chat.postMessage", ex.Method);
        Assert.False(ex.IsTransient);
        Assert.Empty(h.Simulator.Messages);
    }

    [Fact]
    public async Task PostMessageAsync_RevokedToken_ThrowsTokenRevoked()
    {
        await using var h = await SlackHarness.StartAsync();
        var channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.RevokeToken(h.Simulator.BotToken);

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.Equal("token_revoked", ex.Error);
        Assert.DoesNotContain(h.Simulator.BotToken, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostMessageAsync_TokenWithoutChatWrite_ThrowsMissingScopeNamingIt()
    {
        await using var h = await SlackHarness.StartAsync((o, sim) =>
        {
            o.BotToken = "xoxb-no-chat";
            sim.AddToken("xoxb-no-chat", ["users:read"]);
        });
        var channel = h.Simulator.CreateChannel("alerts");

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.Equal("missing_scope", ex.Error);
        Assert.Equal("chat:write", ex.Needed);
    }

    [Fact]
    public async Task PostMessageAsync_RateLimitedWithShortRetryAfter_IsRetriedOnce()
    {
        await using var h = await SlackHarness.StartAsync();
        var channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.InjectRateLimit("chat.postMessage", TimeSpan.Zero);

        await h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct);

        Assert.Single(h.Simulator.Messages);
        Assert.Equal(2, h.Simulator.Requests.Count);
    }

    [Fact]
    public async Task PostMessageAsync_RateLimitedLongerThanMaxRetryAfter_ThrowsTransientWithRetryAfter()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.MaxRetryAfter = TimeSpan.FromSeconds(1));
        var channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.InjectRateLimit("chat.postMessage", TimeSpan.FromSeconds(90));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.Equal("ratelimited", ex.Error);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(90), ex.RetryAfter);
        Assert.Empty(h.Simulator.Messages);
    }

    [Fact]
    public async Task PostMessageAsync_ServerError_IsNotRetriedInPlaceSoNoDuplicateMessage()
    {
        await using var h = await SlackHarness.StartAsync();
        var channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.Faults.Add(SimulatedFault.Status(500, "oops"), pathPrefix: "/api/chat.postMessage");

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.True(ex.IsTransient);
        Assert.Single(h.Simulator.Requests);
    }

    [Fact]
    public async Task PostMessageAsync_SimulatedOkFalse_SurfacesTheError()
    {
        await using var h = await SlackHarness.StartAsync();
        var channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.SimulateError("chat.postMessage", "internal_error");

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.PostMessageAsync(new SlackChatMessage(channel, "hello"), Ct));

        Assert.Equal("internal_error", ex.Error);
        Assert.True(ex.IsTransient);
    }
}
