namespace HyOpps.Testing.Graph;

/// <summary>A channel message the <see cref="GraphSimulator"/> accepted.</summary>
/// <param name="Id">The message id Graph answered.</param>
/// <param name="TeamId">The team id.</param>
/// <param name="ChannelId">The channel id.</param>
/// <param name="FromUserId">The signed-in user the message was posted as.</param>
/// <param name="ContentType">The body's content type, <c>html</c> or <c>text</c>.</param>
/// <param name="Content">The body as sent.</param>
/// <param name="CreatedAt">When the simulator accepted it.</param>
public sealed record GraphChannelMessage(string Id, string TeamId, string ChannelId, string FromUserId, string ContentType, string Content, DateTimeOffset CreatedAt);
