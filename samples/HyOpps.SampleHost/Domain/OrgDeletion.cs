namespace HyOpps.SampleHost.Domain;

/// <summary>What deleting an org did: deleted it, or why not, with how many objects stand in the way.</summary>
/// <param name="Outcome">Deleted, or the reason it was not.</param>
/// <param name="Count">How many users, accounts or executions stand in the way (0 when deleted or not found).</param>
public sealed record OrgDeletion(OrgDeletionOutcome Outcome, int Count = 0);

/// <summary>The outcome of deleting an org.</summary>
public enum OrgDeletionOutcome
{
    /// <summary>The org and its removed users' records are gone.</summary>
    Deleted,

    /// <summary>No org with this id.</summary>
    NotFound,

    /// <summary>The org has users onboarding, active or being removed.</summary>
    HasUsers,

    /// <summary>The org has partner admin accounts.</summary>
    HasAccounts,

    /// <summary>The org has executions under way, or workflow starts recorded and about to run.</summary>
    HasExecutionsUnderWay,
}
