using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyOpps.Integrations.Slack.Internal;

/// <content><c>chat.postMessage</c>, sent as JSON because <c>blocks</c> is structured.</content>
internal sealed partial class SlackClient
{
    /// <summary>Posts a message to a channel with <c>chat.postMessage</c>; the bot token needs <c>chat:write</c> and the app must be in the channel.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The channel id and the message's timestamp (<c>ts</c>), Slack's id of the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The message has no channel or no text.</exception>
    /// <exception cref="SlackApiException">The call failed, for example <c>channel_not_found</c>, <c>not_in_channel</c> or <c>ratelimited</c>.</exception>
    public async Task<SlackPostedMessage> PostMessageAsync(SlackChatMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Channel);

        // Slack accepts blocks alone but then notifications and screen readers show nothing: text is the fallback they use.
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Text);
        var body = new JsonObject
        {
            ["channel"] = message.Channel.Trim(),
            ["text"] = message.Text,
            ["unfurl_links"] = message.UnfurlLinks,
            ["unfurl_media"] = false,
        };
        if (message.Blocks is { Count: > 0 } blocks)
        {
            body["blocks"] = blocks.DeepClone();
        }

        const string method = "chat.postMessage";

        // JsonContent sends "application/json; charset=utf-8"; Slack warns missing_charset without the charset.
        var response = await SendAsync<JsonElement>(
            method,
            () => new HttpRequestMessage(HttpMethod.Post, method) { Content = JsonContent.Create(body) },
            _options.BotToken,
            cancellationToken).ConfigureAwait(false);
        var channel = response.TryGetProperty("channel", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : message.Channel;
        var ts = response.TryGetProperty("ts", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()!
            : throw SlackResponses.Malformed(method, "ts");
        return new SlackPostedMessage(channel, ts);
    }
}

/// <summary>A message for <c>chat.postMessage</c>.</summary>
/// <param name="Channel">The channel id (<c>C...</c>); a name works too but an id survives renames.</param>
/// <param name="Text">The text, in Slack's mrkdwn; the fallback shown in notifications when <paramref name="Blocks"/> are set.</param>
/// <param name="Blocks">Block Kit blocks, or <see langword="null"/>.</param>
/// <param name="UnfurlLinks">Whether Slack previews the links in the text.</param>
internal sealed record SlackChatMessage(string Channel, string Text, JsonArray? Blocks = null, bool UnfurlLinks = false);

/// <summary>What <c>chat.postMessage</c> answered.</summary>
/// <param name="Channel">The channel id the message went to.</param>
/// <param name="Ts">The message timestamp, Slack's id of the message within the channel.</param>
internal sealed record SlackPostedMessage(string Channel, string Ts);
