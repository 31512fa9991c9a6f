using System.Globalization;
using HyOpps.Onboarding;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Smtp;

namespace HyOpps.Benchmarks.Onboarding;

/// <summary>
/// The five simulators on 127.0.0.1 and the settings that point the integrations at them: a copy of the sample host's sandbox
/// (samples/HyOpps.SampleHost/Sandbox/SandboxEnvironment.cs), without its deliberate eventual-consistency delays so that the
/// benchmark measures work rather than waits.
/// </summary>
internal sealed class OnboardingSandbox : IAsyncDisposable
{
    private int _orgCounter;

    public MetabaseSimulator Metabase { get; } = new();

    public GraphSimulator Graph { get; } = new();

    public SlackSimulator Slack { get; } = new();

    public AtlassianSimulator Atlassian { get; } = new();

    public SmtpSimulator Smtp { get; } = new();

    public static async Task<OnboardingSandbox> StartAsync()
    {
        var sandbox = new OnboardingSandbox();
        try
        {
            // The sample host sets NewGuestInvisibleAttempts = 1 so that a demo shows the Teams visibility retry (200 ms each);
            // here a new guest is visible at once, and the people already have Slack and Atlassian accounts (see AddPerson).
            sandbox.Graph.NewGuestInvisibleAttempts = 0;
            await sandbox.Metabase.StartAsync();
            await sandbox.Graph.StartAsync();
            await sandbox.Slack.StartAsync();
            await sandbox.Atlassian.StartAsync();
            await sandbox.Smtp.StartAsync();
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Gets the sample host's sandbox settings, verbatim.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Graph.CreateConfiguration())
    {
        ["HyOpps:Metabase:BaseUrl"] = Metabase.BaseAddress.ToString(),
        ["HyOpps:Metabase:ApiKey"] = Metabase.ApiKey,
        ["HyOpps:Metabase:RetryDelay"] = "00:00:00.050",
        ["HyOpps:Teams:MembershipVisibilityRetryDelay"] = "00:00:00.200",
        ["HyOpps:Teams:MembershipVisibilityTimeout"] = "00:02:00",
        ["HyOpps:Slack:BotToken"] = Slack.BotToken,
        ["HyOpps:Slack:AdminToken"] = Slack.AdminToken,
        ["HyOpps:Slack:TeamId"] = Slack.TeamId,
        ["HyOpps:Slack:BaseUrl"] = Slack.ApiBaseAddress.ToString(),
        ["HyOpps:Slack:RetryDelay"] = "00:00:00.050",
        ["HyOpps:Slack:AccountWaitInterval"] = "00:00:00.200",
        ["HyOpps:Atlassian:SiteUrl"] = Atlassian.SiteUrl.ToString(),
        ["HyOpps:Atlassian:Email"] = Atlassian.Email,
        ["HyOpps:Atlassian:ApiToken"] = Atlassian.ApiToken,
        ["HyOpps:Atlassian:OrgAdminApiKey"] = Atlassian.OrgAdminApiKey,
        ["HyOpps:Atlassian:OrgId"] = Atlassian.OrgId,
        ["HyOpps:Atlassian:AdminApiBaseUrl"] = Atlassian.AdminApiBaseUrl.ToString(),
        ["HyOpps:Atlassian:InvitePollInterval"] = "00:00:00.200",
        ["HyOpps:Atlassian:InviteTimeout"] = "00:02:00",
        ["HyOpps:Email:Host"] = Smtp.Host,
        ["HyOpps:Email:Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["HyOpps:Email:Security"] = "None",
        ["HyOpps:Email:From"] = "HyOpps Sandbox <noreply@sandbox.hyopps.test>",
    };

    /// <summary>Creates the org's group, team, private channel, user group and channel in every simulator, as the sample's ProvisionOrg does.</summary>
    public PartnerOrg ProvisionOrg(string orgName)
    {
        var n = Interlocked.Increment(ref _orgCounter);
        var handle = $"org-{n}";
        var lead = Slack.AddUser($"lead-{n}@{handle}.sandbox.test", $"{orgName} lead");
        var team = Graph.CreateTeam($"{orgName} partners");
        return new PartnerOrg
        {
            Id = $"org{n}",
            Name = orgName,
            Active = true,
            MetabaseGroupId = Metabase.CreateGroup($"{orgName} ({handle})"),
            TeamsTeamId = team,
            TeamsChannelId = Graph.CreateChannel(team, "Partner channel"),
            SlackUserGroupId = Slack.CreateUserGroup($"{handle}-partners", lead),
            SlackChannelId = Slack.CreateChannel($"{handle}-partners"),
            AtlassianGroupId = Atlassian.CreateGroup($"{orgName} ({handle})").GroupId,
            DocumentationLinks =
            [
                new DocumentationLink("Partner handbook", "https://docs.example.com/partners/handbook"),
                new DocumentationLink("Dashboards guide", "https://docs.example.com/partners/metabase"),
            ],
        };
    }

    /// <summary>Gives a person Slack and Atlassian accounts, so those steps find them instead of inviting them and waiting.</summary>
    public void AddPerson(string email, string displayName)
    {
        Slack.AddUser(email, displayName);
        Atlassian.AddAccount(email, displayName);
    }

    public async ValueTask DisposeAsync()
    {
        await Metabase.DisposeAsync();
        await Graph.DisposeAsync();
        await Slack.DisposeAsync();
        await Atlassian.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
