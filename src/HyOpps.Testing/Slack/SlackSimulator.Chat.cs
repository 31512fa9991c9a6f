using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyOpps.Testing.Slack;

/// <content><c>chat.postMessage</c> and the messages it recorded.</content>
public sealed partial class SlackSimulator
{
    // Slack truncates past 40,000 characters and documents msg_too_long for longer texts.
    private const int MaxMessageLength = 40_000;

    private readonly List<SlackSimulatorMessage> _messages = [];

    /// <summary>Gets or sets the clock that stamps posted messages. The default value is <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets the messages posted with <c>chat.postMessage</c>, in order.</summary>
    public IReadOnlyList<SlackSimulatorMessage> Messages
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Gets the messages posted to one channel, in order.</summary>
    /// <param name="channelId">The channel id.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="ArgumentException">The channel is unknown.</exception>
    public IReadOnlyList<SlackSimulatorMessage> GetChannelMessages(string channelId)
    {
        lock (SyncRoot)
        {
            var channel = GetChannel(channelId);
            return [.. _messages.Where(m => m.ChannelId == channel.Id)];
        }
    }

    private JsonObject PostMessage(TokenInfo caller, Dictionary<string, string> args)
    {
        if (!args.TryGetValue("channel", out var name) || FindChannel(name) is not { } channel)
        {
            return Error("channel_not_found");
        }

        if (channel.Archived)
        {
            return Error("is_archived");
        }

        // Bots post only where they were added (chat:write.public lifts this for public channels); users post where they are members.
        if (caller.IsBot && !channel.AppIsMember && (channel.IsPrivate || !caller.Scopes.Contains("chat:write.public")))
        {
            return Error("not_in_channel");
        }

        var text = args.GetValueOrDefault("text") ?? string.Empty;
        JsonArray? blocks = null;
        if (args.TryGetValue("blocks", out var blocksJson) && blocksJson.Length > 0)
        {
            try
            {
                blocks = JsonNode.Parse(blocksJson) as JsonArray;
            }
            catch (JsonException)
            {
            }

            if (blocks is null)
            {
                return Error("invalid_blocks");
            }
        }

        if (string.IsNullOrWhiteSpace(text) && blocks is not { Count: > 0 })
        {
            return Error("no_text");
        }

        if (text.Length > MaxMessageLength)
        {
            return Error("msg_too_long");
        }

        var postedAt = TimeProvider.GetUtcNow();
        var ts = string.Create(
            CultureInfo.InvariantCulture, $"{postedAt.ToUnixTimeSeconds()}.{(_messages.Count + 1) % 1_000_000:D6}");
        _messages.Add(new SlackSimulatorMessage(channel.Id, ts, text, blocks?.ToJsonString(), Flag(args, "unfurl_links"), postedAt));
        return Ok(new JsonObject
        {
            ["channel"] = channel.Id,
            ["ts"] = ts,
            ["message"] = new JsonObject { ["type"] = "message", ["text"] = text, ["ts"] = ts },
        });
    }

    private SimChannel? FindChannel(string idOrName)
    {
        var key = idOrName.Trim().TrimStart('#');
        return _channels.TryGetValue(key, out var channel)
            ? channel
            : _channels.Values.FirstOrDefault(c => string.Equals(c.Name, key, StringComparison.Ordinal));
    }
}
