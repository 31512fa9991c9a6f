using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Email.Tests;

/// <summary>Sends one real email through a real server; opt in with HYOPPS_LIVE_EMAIL_TO plus SMTP_HOST, EMAIL_FROM and, if needed, SMTP_PORT, SMTP_USER, SMTP_PASSWORD.</summary>
public sealed class LiveSmtpTests
{
    [Fact]
    public async Task ExecuteAsync_LiveServer_AcceptsTheDocumentationEmail()
    {
        var to = Environment.GetEnvironmentVariable("HYOPPS_LIVE_EMAIL_TO");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(to) || string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("SMTP_HOST")),
            "Live SMTP test: set HYOPPS_LIVE_EMAIL_TO, SMTP_HOST and EMAIL_FROM (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD as needed) to run it.");

        var services = new ServiceCollection().AddSingleton<IConfiguration>(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        services.AddHyOpps().AddEmail();
        await using var provider = services.BuildServiceProvider();
        var context = new TestStepContext(EmailTestHost.Input(email: to!.Trim()), provider, ShareDocumentationStep.Id);

        var result = await ((IWorkflowStep)provider.GetRequiredService<ShareDocumentationStep>()).ExecuteAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
    }
}
