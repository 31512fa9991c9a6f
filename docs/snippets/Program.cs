using HyOpps;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
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
    // Each step takes its own input, mapped at every attempt from the workflow's input, earlier steps' outputs and
    // the org as it is now: a Retry after the org was fixed uses the fix.
    .AddWorkflow("new_partner_user", wf => wf
        .Step<CreateMetabaseAccountStep>(s => s.Input(c =>
        {
            var person = c.GetInput<NewPartner>();
            return new CreateMetabaseAccountInput { Email = person.Email, FirstName = person.FirstName, LastName = person.LastName };
        }))
        .Step<AddUserToMetabaseGroupStep>(s => s.Input(c => new AddUserToMetabaseGroupInput
        {
            Email = c.GetInput<NewPartner>().Email,
            GroupId = Org(c).MetabaseGroupId,
            MetabaseUserId = c.GetOutput<CreateMetabaseAccountOutput>(CreateMetabaseAccountStep.Id).MetabaseUserId,
        }))
        .Step<AddUserToSlackGroupStep>(s => s
            .Input(c =>
            {
                var person = c.GetInput<NewPartner>();
                return new AddUserToSlackGroupInput
                {
                    Email = person.Email,
                    DisplayName = $"{person.FirstName} {person.LastName}",
                    UserGroupId = Org(c).SlackUserGroupId,
                };
            })
            .WithRetry(new RetryPolicy { MaxAttempts = 12 }))
        .Step<ShareDocumentationStep>(s => s.Input(c =>
        {
            var person = c.GetInput<NewPartner>();
            var org = Org(c);
            return new ShareDocumentationInput
            {
                Email = person.Email,
                FirstName = person.FirstName,
                LastName = person.LastName,
                OrgName = org.Name,
                Links = [.. org.DocumentationLinks.Select(link => new DocumentationEmailLink(link.Title, link.Url))],
            };
        })));

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IWorkflowClient>();

var person = new NewPartner("ada@partner.example", "Ada", "Lovelace");
var started = await client.StartAsync("new_partner_user", person,
    new StartExecutionOptions { IdempotencyKey = person.Email });
var detail = await client.WaitForCompletionAsync(started.ExecutionId);
foreach (var step in detail.Steps)
{
    Console.WriteLine($"{step.Id}: {step.Status} {step.Output}");
}

await host.StopAsync();
return detail.Status == ExecutionStatus.Succeeded ? 0 : 1;

// The org's ids in each service, read at each attempt: an app reads them from its own records, this one from
// configuration ("Org").
static OrgSettings Org(StepContext context) =>
    context.Services.GetRequiredService<IConfiguration>().GetSection("Org").Get<OrgSettings>()
    ?? throw new InvalidOperationException("Set Org:Name, Org:MetabaseGroupId, Org:SlackUserGroupId and Org:DocumentationLinks.");

/// <summary>The workflow's input: the person to onboard.</summary>
public sealed record NewPartner(string Email, string FirstName, string LastName);

/// <summary>The partner org's name, its ids in Metabase and Slack, and the documentation to send.</summary>
public sealed class OrgSettings
{
    public string Name { get; set; } = string.Empty;

    public int MetabaseGroupId { get; set; }

    public string SlackUserGroupId { get; set; } = string.Empty;

    public List<OrgLink> DocumentationLinks { get; set; } = [];
}

/// <summary>One documentation link of the org.</summary>
public sealed class OrgLink
{
    public string Title { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;
}
