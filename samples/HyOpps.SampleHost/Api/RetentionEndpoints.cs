using HyOpps.SampleHost.Security;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>How many finished executions of one workflow and status the next retention pass would delete.</summary>
public sealed record ExpiredCountResponse(string Workflow, ExecutionStatus Status, DateTimeOffset FinishedBefore, long Count);

/// <summary>The retention dry run: the counts per workflow and status, and their total.</summary>
public sealed record RetentionDryRunResponse(long Total, IReadOnlyList<ExpiredCountResponse> Counts);

/// <summary>GET /api/retention/expired: the retention dry run, for admins (it counts every org's executions).</summary>
internal static class RetentionEndpoints
{
    public static void Map(RouteGroupBuilder api)
        => api.MapGet("/retention/expired", GetExpiredAsync)
            .RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy)
            .WithTags("Retention")
            .WithName("CountExpiredExecutions");

    private static async Task<IResult> GetExpiredAsync(IExecutionRetention retention, CancellationToken cancellationToken)
    {
        var counts = await retention.CountExpiredAsync(cancellationToken);
        return Results.Ok(new RetentionDryRunResponse(
            counts.Sum(c => c.Count),
            counts.Select(c => new ExpiredCountResponse(c.WorkflowName, c.Status, c.FinishedBefore, c.Count)).ToArray()));
    }
}
