using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>/api/orgs: admins create, edit and delete; a partner admin reads only their own org.</summary>
internal static partial class OrgEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/orgs").WithTags("Orgs");
        group.MapGet("/", ListAsync).WithName("ListOrgs");
        group.MapGet("/{id}", GetAsync).WithName("GetOrg");
        group.MapPost("/", CreateAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).WithName("CreateOrg");
        group.MapPut("/{id}", UpdateAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).WithName("UpdateOrg");
        group.MapDelete("/{id}", DeleteAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).WithName("DeleteOrg");
    }

    private static async Task<IResult> ListAsync(HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var list = await orgs.ListAsync(actor.IsAdmin ? null : actor.OrgId, cancellationToken);
        return Results.Ok(list.Select(OrgResponse.From));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
        => Results.Ok(OrgResponse.From(await GetVisibleAsync(http.Actor(), id, orgs, cancellationToken)));

    private static async Task<IResult> CreateAsync(OrgRequest request, OrgStore orgs, CancellationToken cancellationToken)
    {
        var created = await CreateOrgAsync(request, new FieldErrors(), orgs, cancellationToken);
        return Results.Created($"/api/orgs/{created.Id}", OrgResponse.From(created));
    }

    private static async Task<IResult> UpdateAsync(string id, OrgRequest request, HttpContext http, OrgChangeService changes, CancellationToken cancellationToken)
    {
        var (org, removals) = await changes.UpdateAsync(http.Actor(), id, request, new FieldErrors(), cancellationToken);
        return Results.Ok(OrgResponse.From(org) with { FormerGroupRemovals = removals });
    }

    /// <summary>Validates and inserts an org (the API and the create page); <paramref name="errors"/> may hold errors found earlier, and any error writes nothing.</summary>
    internal static async Task<OrgRecord> CreateOrgAsync(OrgRequest request, FieldErrors errors, OrgStore orgs, CancellationToken cancellationToken)
    {
        var org = Validate(request, new OrgRecord { Id = string.Empty, Name = string.Empty }, errors);
        return await orgs.CreateAsync(org, cancellationToken)
            ?? throw ApiProblemException.Conflict($"An org named '{org.Name}' exists already.");
    }

    private static async Task<IResult> DeleteAsync(string id, OrgStore orgs, IWorkflowClient workflows, CancellationToken cancellationToken)
    {
        async Task<int> UnderWayAsync(CancellationToken ct) => (await workflows.ListAsync(new ExecutionQuery
        {
            Labels = new Dictionary<string, string> { [PartnerWorkflowNames.OrgLabel] = id },
            Statuses = [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.WaitingForApproval],
            Limit = 1,
        }, ct)).Total;

        var deletion = id.Length <= InputRules.MaxExternalIdLength
            ? await orgs.DeleteAsync(id, UnderWayAsync, cancellationToken)
            : new OrgDeletion(OrgDeletionOutcome.NotFound);
        var count = deletion.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return deletion.Outcome switch
        {
            OrgDeletionOutcome.Deleted => Results.NoContent(),
            OrgDeletionOutcome.NotFound => throw ApiProblemException.NotFound("No org with this id."),
            OrgDeletionOutcome.HasUsers => throw ApiProblemException.Conflict(
                $"The org has {count} user(s) onboarding, active or being removed: remove them first, or set the org inactive instead (\"active\": false)."),
            OrgDeletionOutcome.HasAccounts => throw ApiProblemException.Conflict(
                $"The org has {count} partner admin account(s): remove them first, or set the org inactive instead (\"active\": false)."),
            _ => throw ApiProblemException.Conflict(
                $"The org has {count} execution(s) under way or about to start: let them finish or cancel them, then delete the org."),
        };
    }

    internal static async Task<OrgRecord> GetVisibleAsync(Actor actor, string id, OrgStore orgs, CancellationToken cancellationToken)
    {
        var org = id.Length <= InputRules.MaxExternalIdLength && actor.CanSeeOrg(id) ? await orgs.GetAsync(id, cancellationToken) : null;
        return org ?? throw ApiProblemException.NotFound("No org with this id.");
    }
}
