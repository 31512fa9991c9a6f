namespace HyOpps.Integrations.Slack.Internal;

/// <summary>The Slack integration's log messages. None of them carries a token.</summary>
internal static partial class SlackLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Slack {Method} succeeded")]
    public static partial void CallSucceeded(ILogger logger, string method);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Slack {Method} failed with {Error} (HTTP {StatusCode})")]
    public static partial void CallFailed(ILogger logger, string method, string error, int? statusCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Slack {Method} warned: {Warning}")]
    public static partial void CallWarned(ILogger logger, string method, string warning);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Added Slack user {SlackUserId} to user group {UserGroupId} ({MemberCount} members)")]
    public static partial void AddedToGroup(ILogger logger, string slackUserId, string userGroupId, int memberCount);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Slack user {SlackUserId} is already in user group {UserGroupId}")]
    public static partial void AlreadyInGroup(ILogger logger, string slackUserId, string userGroupId);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "A concurrent writer replaced the members of Slack user group {UserGroupId} and undid our change for {SlackUserId}; writing again (round {Round})")]
    public static partial void ConcurrentWriterDetected(ILogger logger, string userGroupId, string slackUserId, int round);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Slack user {SlackUserId} invited to channel {ChannelId}: {Status}")]
    public static partial void ChannelInvite(ILogger logger, string slackUserId, string channelId, string status);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Invited the person to the Slack workspace {TeamId}; waiting for the account")]
    public static partial void InvitedToWorkspace(ILogger logger, string teamId);

    [LoggerMessage(EventId = 25, Level = LogLevel.Information, Message = "Removed Slack user {SlackUserId} from user group {UserGroupId} ({MemberCount} members left)")]
    public static partial void RemovedFromGroup(ILogger logger, string slackUserId, string userGroupId, int memberCount);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Slack user {SlackUserId} is not in user group {UserGroupId}; nothing to remove")]
    public static partial void NotInGroup(ILogger logger, string slackUserId, string userGroupId);
}
