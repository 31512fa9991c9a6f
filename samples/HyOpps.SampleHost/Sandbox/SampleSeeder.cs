using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Testing.Sandbox;

namespace HyOpps.SampleHost.Sandbox;

/// <summary>Creates the schema, the configured bootstrap admin, and in sandbox mode the demo org and the demo accounts.</summary>
internal static class SampleSeeder
{
    public static async Task SeedAsync(IServiceProvider services, SampleHostSettings settings, HyOppsSandbox? sandbox, ILogger logger, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<SampleDatabase>().MigrateAsync(cancellationToken);
        var accounts = services.GetRequiredService<AccountStore>();
        if (!string.IsNullOrWhiteSpace(settings.BootstrapAdminUserName))
        {
            if (string.IsNullOrEmpty(settings.BootstrapAdminPassword) || settings.BootstrapAdminPassword.Length < 12)
            {
                throw new InvalidOperationException("HyOpps:BootstrapAdmin:Password must be set, at least 12 characters, with HyOpps:BootstrapAdmin:UserName.");
            }

            if (await accounts.FindByUserNameAsync(settings.BootstrapAdminUserName, cancellationToken) is null)
            {
                await accounts.CreateAsync(settings.BootstrapAdminUserName, settings.BootstrapAdminPassword, Roles.Admin, null, cancellationToken);
                logger.LogInformation("Created the admin account '{UserName}' from HyOpps:BootstrapAdmin.", settings.BootstrapAdminUserName);
            }
        }

        if (sandbox is null)
        {
            return;
        }

        var orgs = services.GetRequiredService<OrgStore>();
        var demo = await orgs.FindByNameAsync(SandboxAccounts.DemoOrgName, cancellationToken);
        if (demo is null)
        {
            var resources = sandbox.ProvisionOrg(SandboxAccounts.DemoOrgName);
            demo = await orgs.CreateAsync(new OrgRecord
            {
                Id = Sql.NewId(),
                Name = SandboxAccounts.DemoOrgName,
                Active = true,
                MetabaseGroupId = resources.MetabaseGroupId,
                TeamsTeamId = resources.TeamsTeamId,
                TeamsChannelId = resources.TeamsChannelId,
                SlackUserGroupId = resources.SlackUserGroupId,
                SlackChannelId = resources.SlackChannelId,
                AtlassianGroupId = resources.AtlassianGroupId,
                DocumentationLinks =
                [
                    new DocumentationLink("Partner handbook", "https://docs.example.com/partners/handbook"),
                    new DocumentationLink("Dashboards guide", "https://docs.example.com/partners/metabase"),
                ],
                AllowedEmailDomains = [SandboxAccounts.DemoEmailDomain],
            }, cancellationToken)
                ?? await orgs.FindByNameAsync(SandboxAccounts.DemoOrgName, cancellationToken) // another host sharing the database made it meanwhile
                ?? throw new InvalidOperationException("The demo org could not be created.");
        }

        if (await accounts.FindByUserNameAsync(SandboxAccounts.AdminUserName, cancellationToken) is null)
        {
            if (await accounts.CreateAsync(SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, Roles.Admin, null, cancellationToken) is { } admin)
            {
                await accounts.AddApiKeyAsync(admin.Id, "sandbox", SandboxAccounts.AdminApiKey, cancellationToken);
            }
        }

        if (await accounts.FindByUserNameAsync(SandboxAccounts.PartnerAdminUserName, cancellationToken) is null)
        {
            if (await accounts.CreateAsync(SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword, Roles.PartnerAdmin, demo.Id, cancellationToken) is { } partner)
            {
                await accounts.AddApiKeyAsync(partner.Id, "sandbox", SandboxAccounts.PartnerAdminApiKey, cancellationToken);
            }
        }
    }
}
