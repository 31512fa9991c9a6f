using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Workflows;
using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>The operator's Monday: onboardings that failed at one step, found by filter, previewed and retried in one action, in the caller's scope.</summary>
public sealed class BulkActionTests
{
    [Fact]
    public async Task BulkRetry_FailedAtAtlassian_DryRunThenRetry_OnlyInTheCallersOrg()
    {
        await using var host = await StartAsync();
        var demo = await host.DemoOrgAsync();
        var other = await host.CreateOrgAsync("Other Partner");
        using var admin = host.Admin();
        host.Sandbox.Atlassian.Faults.Add(
            SimulatedFault.Status(403, """{"errorMessages":["You do not have permission to browse users."]}""", "application/json"),
            times: 3, method: "GET", pathPrefix: "/rest/api/3/user/search");
        var mine = new List<string>();
        foreach (var email in new[] { "a@partner.example", "b@partner.example" })
        {
            var started = await host.AddUserAsync(admin, demo.Id, email);
            Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);
            mine.Add(started.ExecutionId);
        }

        var theirs = (await host.AddUserAsync(admin, other.Id, "c@other.example")).ExecutionId;
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(theirs)).Status);
        using var partner = host.WithKey(await host.PartnerAdminKeyAsync(demo.Id, "demo-admin"));
        var filter = new { status = "failed", step_id = PartnerWorkflowNames.AddUserToAtlassianGroup, reason = "Atlassian permission granted" };

        var preview = await PostAsync(partner, "/api/executions/bulk/retry", new { dry_run = true, filter.status, filter.step_id, filter.reason });
        Assert.Equal((true, 2, 0), (preview.DryRun, preview.Matched, preview.Applied));
        Assert.Equal(mine.AsEnumerable().Reverse(), preview.Sample.Select(s => s.Id));
        using var otherOrg = await partner.PostAsJsonAsync("/api/executions/bulk/retry", new { dry_run = true, org_id = other.Id }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, otherOrg.StatusCode);

        var result = await PostAsync(partner, "/api/executions/bulk/retry", new { dry_run = false, filter.status, filter.step_id, filter.reason });

        Assert.Equal((false, 2, 2), (result.DryRun, result.Matched, result.Applied));
        foreach (var id in mine)
        {
            var done = await host.WaitAsync(id);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Contains(done.Audit, a => a.Action == "bulk_retry" && a.Reason == "Atlassian permission granted" && a.Actor.Contains("demo-admin", StringComparison.Ordinal));
        }

        Assert.Equal(ExecutionStatus.Failed, (await host.Workflows.GetAsync(theirs, Ct))!.Status);
    }

    [Fact]
    public async Task Bulk_WithoutDryRunOrWithABadStatus_Answers400NamingTheField()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();

        using var noDryRun = await admin.PostAsJsonAsync("/api/executions/bulk/cancel", new { status = "failed" }, Ct);
        using var badStatus = await admin.PostAsJsonAsync("/api/executions/bulk/retry", new { dry_run = true, status = "broken" }, Ct);
        using var noStep = await admin.PostAsJsonAsync("/api/executions/bulk/rerun", new { dry_run = true }, Ct);

        Assert.Contains("dry_run", await ProblemFieldsAsync(noDryRun));
        Assert.Contains("status", await ProblemFieldsAsync(badStatus));
        Assert.Contains("rerun_step_id", await ProblemFieldsAsync(noStep));
    }

    private static async Task<BulkResponse> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<BulkResponse>(Json, Ct))!;
    }

    private static async Task<string[]> ProblemFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
    }
}
