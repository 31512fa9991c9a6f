// A host that the email crash test kills while the SMTP server holds its reply to QUIT: it starts (or, on a restart, finds)
// one execution of a workflow whose only step is share_documentation, and waits for it.
using HyOpps;
using HyOpps.Integrations.Email;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: CrashHost <database> <smtp host> <smtp port>");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.ClearProviders();
builder.Services.AddHyOpps(o =>
    {
        // A killed host's lease runs out quickly, so the restarted host resumes the step soon.
        o.LeaseDuration = TimeSpan.FromSeconds(1);
        o.PollInterval = TimeSpan.FromMilliseconds(100);
        o.DefaultRetryPolicy = new RetryPolicy { MaxAttempts = 10, InitialDelay = TimeSpan.FromMilliseconds(50), UseJitter = false };
    })
    .UseSqlite($"Data Source={args[0]}")
    .AddEmail(o =>
    {
        o.Host = args[1];
        o.Port = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        o.Security = SmtpSecurity.None;
        o.From = "HyOpps <noreply@hyopps.test>";
    })
    .AddWorkflow("mail", wf => wf.Step<ShareDocumentationStep>(ShareDocumentationStep.Id));

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IWorkflowClient>();
var input = new ShareDocumentationInput
{
    OrgName = "Acme Partners",
    Links = [new DocumentationEmailLink("Getting started", "https://docs.acme.test/start")],
    Email = "jane.doe@partner.test",
    FirstName = "Jane",
    LastName = "Doe",
};
var started = await client.StartAsync("mail", input, new StartExecutionOptions { IdempotencyKey = "mail-1" });
var done = await client.WaitForCompletionAsync(started.ExecutionId);
Console.WriteLine(done.Status);
await host.StopAsync();
return 0;
