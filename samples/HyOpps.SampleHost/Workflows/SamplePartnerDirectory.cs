using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;

namespace HyOpps.SampleHost.Workflows;

/// <summary>The sample's records behind the onboarding workflows: orgs read as they are now (so Retry sees an admin's fix), accounts recorded per step.</summary>
public sealed class SamplePartnerDirectory(OrgStore orgs, PartnerUserStore users) : IPartnerDirectory
{
    public async ValueTask<PartnerOrg?> FindOrgAsync(string orgId, CancellationToken cancellationToken)
        => (await orgs.GetAsync(orgId, cancellationToken))?.ToPartnerOrg();

    public async ValueTask RecordAccountsAsync(string orgId, string email, string executionId, RecordedAccounts accounts, CancellationToken cancellationToken)
        => await users.RecordAccountsAsync(orgId, email, executionId, accounts, cancellationToken);
}
