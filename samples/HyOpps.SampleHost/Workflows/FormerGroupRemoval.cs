using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Workflows;

/// <summary>One removal of a user from a group their org no longer uses: the pending start of remove_from_former_org_groups and what it is for.</summary>
/// <param name="Start">The pending start, written with the org change.</param>
/// <param name="UserId">The user's id.</param>
/// <param name="Email">The user's email.</param>
/// <param name="Integration">metabase, teams, slack or atlassian.</param>
/// <param name="FormerGroupId">The group (team, user group) id the org used before.</param>
internal sealed record FormerGroupRemoval(PendingStart Start, string UserId, string Email, string Integration, string FormerGroupId);
