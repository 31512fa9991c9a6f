#region minimal
using HyOpps;
using HyOpps.Workflows;
#endregion
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>src/HyOpps.Dashboard/README.md.</summary>
internal static class DashboardSnippets
{
    public static void Minimal(string[] args)
    {
        #region minimal
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication(/* your scheme */);
        builder.Services.AddAuthorization();
        builder.Services.AddHyOpps().UseSqlite("Data Source=hyopps.db")
            .AddWorkflow("hello", wf => wf.Step("greet", (context, ct) => ValueTask.FromResult(StepResult.Succeeded(new { hi = true }))));
        builder.Services.AddHyOppsDashboard();            // antiforgery for the action forms, the start-up authorization check

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHyOppsDashboard("/hyopps", o =>
        {
            o.Title = "Onboarding operations";
            o.CanOperate = http => http.User.IsInRole("admin");   // default: view only
        }).RequireAuthorization("admin");                         // required: see "Secure by default"
        app.Run();
        #endregion
    }

    public static void PartnerView(WebApplication app)
    {
        #region partner-view
        app.MapHyOppsDashboard("/hyopps").RequireAuthorization("admin");

        app.MapHyOppsDashboard("/partner/executions", o =>
        {
            o.Title = "Your onboarding history";
            // Labels every listed, viewed or operated execution must carry. Read them from the
            // authenticated user (a claim the host issued), never from the query string or a header.
            o.ScopeLabels = http => new Dictionary<string, string> { ["org"] = http.User.FindFirst("org")?.Value ?? "" };
            o.CanOperate = http => http.User.IsInRole("partner_admin_operator");
            o.LabelDisplay = key => key == "org" ? null : key;  // the org is implied: hide it
            o.BackLinkUrl = "/partner";
            o.BackLinkText = "Back to your organisation";
        }).RequireAuthorization(p => p.RequireRole("partner_admin").RequireClaim("org"));
        #endregion
    }
}
