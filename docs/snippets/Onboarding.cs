#region usage
using HyOpps;
using HyOpps.Onboarding;
#endregion
#region typed
using HyOpps.Workflows;
#endregion
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Onboarding/README.md and the typed inputs of src/HyOpps.Workflows/README.md.</summary>
internal static class OnboardingSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddScoped<IPartnerDirectory, MyPartnerDirectory>();  // the org as it is now; accounts recorded per step
        builder.Services.AddHyOpps()
            .UseSqlite("Data Source=hyopps.db")
            .AddMetabase().AddTeams().AddSlack().AddAtlassian().AddEmail()
            .AddPartnerOnboarding(o =>
            {
                o.AccountWaitRetryPolicy = new RetryPolicy { MaxAttempts = 20, MaxTotalDuration = TimeSpan.FromHours(1) };
                o.BeforeOnboarding = wf => wf.Step<CheckPartnerUserStep>("check_partner_user");
            });
        #endregion
    }

    public static void Typed(IHostApplicationBuilder builder)
    {
        #region typed
        builder.Services.AddHyOpps()
            .AddWorkflow("welcome", wf => wf
                .Step<SendWelcomeStep>("send_welcome", s => s
                    // Runs at each attempt: a Retry after the org was fixed sends the fixed link.
                    .Input(async (context, ct) =>
                    {
                        var signUp = context.GetInput<SignUp>();
                        var org = await context.Services.GetRequiredService<IOrgLinks>().GetAsync(signUp.OrgId, ct);
                        return new Welcome(signUp.Email, org.HandbookUrl ?? string.Empty);
                    })
                    .When(welcome => welcome.Link.Length > 0, "The org has no handbook.")));
        #endregion
    }
}

#region typed
public sealed record SignUp(string Email, string OrgId);

public sealed record Welcome(string Recipient, string Link);

public sealed class SendWelcomeStep : IWorkflowStep<Welcome>
{
    public ValueTask<StepResult> ExecuteAsync(Welcome input, StepContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(StepResult.Succeeded(new { Sent = input.Link }));
}
#endregion

public sealed record OrgLinks(string? HandbookUrl);

public interface IOrgLinks
{
    ValueTask<OrgLinks> GetAsync(string orgId, CancellationToken cancellationToken);
}

internal sealed class MyPartnerDirectory : IPartnerDirectory
{
    public ValueTask<PartnerOrg?> FindOrgAsync(string orgId, CancellationToken cancellationToken) => ValueTask.FromResult<PartnerOrg?>(null);

    public ValueTask RecordAccountsAsync(string orgId, string email, string executionId, RecordedAccounts accounts, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}

internal sealed class CheckPartnerUserStep : IWorkflowStep
{
    public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken) => ValueTask.FromResult(StepResult.Succeeded());
}
