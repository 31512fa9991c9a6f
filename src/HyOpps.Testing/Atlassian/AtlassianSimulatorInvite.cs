namespace HyOpps.Testing.Atlassian;

/// <summary>An invite the <see cref="AtlassianSimulator"/> received through <c>POST /admin/v2/orgs/{orgId}/users/invite</c>.</summary>
/// <param name="Emails">The invited email addresses.</param>
/// <param name="AdditionalGroups">The group ids the invitees are added to.</param>
/// <param name="SendNotification">Whether an invitation email was requested.</param>
public sealed record AtlassianSimulatorInvite(IReadOnlyList<string> Emails, IReadOnlyList<string> AdditionalGroups, bool SendNotification);
