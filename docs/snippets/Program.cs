using HyOpps;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Onboarding;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddHyOpps()
    .UseSqlite("Data Source=hyopps.db")
    .AddMetabase()                      // binds "HyOpps:Metabase": BaseUrl, ApiKey
    .AddSlack()                         // binds "HyOpps:Slack": BotToken
    .AddEmail()                         // binds "HyOpps:Email": Host, From
    .AddWorkflow("new_partner_user", wf => wf
        .Step<CreateMetabaseAccountStep>()
        .Step<AddUserToMetabaseGroupStep>()
        .Step<AddUserToSlackGroupStep>(s => s.WithRetry(new RetryPolicy { MaxAttempts = 12 }))
        .Step<ShareDocumentationStep>());

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IWorkflowClient>();

// The org's ids in each service; an app reads them from its own records, this one from configuration ("Org").
var org = builder.Configuration.GetSection("Org").Get<PartnerOrg>()
    ?? throw new InvalidOperationException("Set Org:Name, Org:MetabaseGroupId and Org:SlackUserGroupId.");
var input = new PartnerOnboardingInput
{
    Org = org,
    User = new PartnerUser { Email = "ada@partner.example", FirstName = "Ada", LastName = "Lovelace" },
};

var started = await client.StartAsync("new_partner_user", input,
    new StartExecutionOptions { IdempotencyKey = $"{org.Name}/{input.User.Email}" });
var detail = await client.WaitForCompletionAsync(started.ExecutionId);
foreach (var step in detail.Steps)
{
    Console.WriteLine($"{step.Id}: {step.Status} {step.Output}");
}

await host.StopAsync();
return detail.Status == ExecutionStatus.Succeeded ? 0 : 1;
