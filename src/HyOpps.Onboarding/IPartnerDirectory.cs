namespace HyOpps.Onboarding;

/// <summary>The host's own records of partner orgs and people, which the onboarding workflows read and write through.</summary>
/// <remarks>
/// Optional: register an implementation (scoped or singleton) and the workflows read the org <em>at each attempt</em> (so "fix the
/// org, then Retry" uses the fixed documentation links and group ids) and record every external account a step made or found,
/// which is what offboarding later acts on. Without one, the workflows use the org as it was in the execution's input and record
/// nothing.
/// </remarks>
public interface IPartnerDirectory
{
    /// <summary>Gets the org as it is now.</summary>
    /// <param name="orgId">The host's id of the org (<see cref="PartnerOrg.Id"/>).</param>
    /// <param name="cancellationToken">The token to cancel the read.</param>
    /// <returns>The org, or <see langword="null"/> when the host has no such org.</returns>
    ValueTask<PartnerOrg?> FindOrgAsync(string orgId, CancellationToken cancellationToken);

    /// <summary>Records the external accounts an onboarding step made or found for a person.</summary>
    /// <param name="orgId">The host's id of the org.</param>
    /// <param name="email">The person's normalised email.</param>
    /// <param name="executionId">The onboarding execution that found the accounts.</param>
    /// <param name="accounts">The accounts; integrations left <see langword="null"/> are unchanged.</param>
    /// <param name="cancellationToken">The token to cancel the write.</param>
    /// <returns>A task that completes once the accounts are recorded.</returns>
    ValueTask RecordAccountsAsync(string orgId, string email, string executionId, RecordedAccounts accounts, CancellationToken cancellationToken);
}
