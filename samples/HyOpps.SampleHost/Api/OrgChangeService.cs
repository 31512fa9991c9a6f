using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>
/// Changes an org (the API and the edit page). When a Metabase group, Teams team, Slack user group or Atlassian group id changes or is
/// cleared, the org's active users would stay in the former group: the change and the starts of remove_from_former_org_groups (one per
/// user and former group) are written in one transaction, then started; a start that fails now is left to the reconciler.
/// </summary>
public sealed partial class OrgChangeService(OrgStore orgs, PendingStartRunner runner, TimeProvider time, ILogger<OrgChangeService> logger)
{
    /// <summary>Validates and updates the org; <paramref name="errors"/> may hold errors found earlier, and any error writes nothing.</summary>
    public async Task<(OrgRecord Org, IReadOnlyList<FormerGroupRemovalResponse> Removals)> UpdateAsync(
        Actor actor, string id, OrgRequest request, FieldErrors errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var existing = (id.Length <= InputRules.MaxExternalIdLength ? await orgs.GetAsync(id, cancellationToken) : null)
            ?? throw ApiProblemException.NotFound("No org with this id.");
        var org = OrgEndpoints.Validate(request, existing, errors);
        IReadOnlyList<FormerGroupRemoval> planned = [];
        IReadOnlyList<PendingStart> FollowUps(OrgRecord before, IReadOnlyList<PartnerUserRecord> active)
        {
            planned = FormerOrgGroups.Plan(before, org, active, actor.AuditName, time.GetUtcNow());
            return [.. planned.Select(r => r.Start)];
        }

        var updated = await orgs.UpdateAsync(org, FollowUps, cancellationToken);
        if (updated is not true)
        {
            throw updated is null
                ? ApiProblemException.NotFound("No org with this id.")
                : ApiProblemException.Conflict($"An org named '{org.Name}' exists already.");
        }

        var removals = new List<FormerGroupRemovalResponse>();
        foreach (var removal in planned)
        {
            string? executionId = null;
            try
            {
                executionId = await runner.RunAsync(removal.Start, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Written with the change, so the reconciler starts it: the answer says it is pending (no execution id yet).
                LogStartFailed(logger, ex, removal.Integration, removal.UserId);
            }

            removals.Add(new FormerGroupRemovalResponse(removal.UserId, removal.Email, removal.Integration, removal.FormerGroupId, executionId));
        }

        return ((await orgs.GetAsync(id, cancellationToken))!, removals);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The removal of partner user {UserId} from the org's former {Integration} group could not be started now; the pending-start reconciler starts it.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string integration, string userId);
}
