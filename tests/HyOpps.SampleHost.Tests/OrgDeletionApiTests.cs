using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>DELETE /api/orgs/{id} end to end: 409 naming the reason, 204 once nothing stands in the way.</summary>
public sealed class OrgDeletionApiTests
{
    [Fact]
    public async Task DeleteOrg_ExecutionUnderWayThenRemovedUserOnly_Answers409NamingItThen204()
    {
        await using var host = await StartAsync();
        var org = await host.CreateOrgAsync("Short lived");
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, org.Id, "temp@short.example", "Tem", "Porary");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(added.ExecutionId)).Status);
        using (var refused = await admin.DeleteAsync($"/api/orgs/{org.Id}", Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("1 user(s) onboarding, active or being removed", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var remove = await admin.DeleteAsync($"/api/users/{added.User.Id}", Ct);
        var removal = (await remove.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(removal.ExecutionId)).Status);

        // An execution of the org's that no user record tracks (started elsewhere, scheduled for tomorrow).
        var scheduled = await host.Workflows.StartJsonAsync(FormerOrgGroups.Name, $$"""{"org_id":"{{org.Id}}","email":"temp@short.example"}""", new StartExecutionOptions
        {
            Labels = new Dictionary<string, string> { ["org"] = org.Id },
            NotBefore = DateTimeOffset.UtcNow.AddDays(1),
        }, Ct);
        using (var refused = await admin.DeleteAsync($"/api/orgs/{org.Id}", Ct))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("1 execution(s) under way or about to start", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await host.Workflows.CancelAsync(scheduled.ExecutionId, new OperatorAction("test", "no longer needed"), Ct);
        using var deleted = await admin.DeleteAsync($"/api/orgs/{org.Id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.GetAsync($"/api/orgs/{org.Id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
