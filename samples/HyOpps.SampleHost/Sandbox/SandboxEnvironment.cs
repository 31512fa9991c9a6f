using System.Globalization;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Smtp;
using Microsoft.Data.Sqlite;

namespace HyOpps.SampleHost.Sandbox;

/// <summary>
/// The in-process simulators of sandbox mode, on 127.0.0.1 with ephemeral ports, and the settings that point the integrations at
/// them. One instance per host; disposed with it.
/// </summary>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    private readonly string? _ownedDataDirectory;
    private int _orgCounter;

    private SandboxEnvironment(string? ownedDataDirectory)
    {
        _ownedDataDirectory = ownedDataDirectory;
    }

    public MetabaseSimulator Metabase { get; } = new();

    public GraphSimulator Graph { get; } = new();

    public SlackSimulator Slack { get; } = new();

    public AtlassianSimulator Atlassian { get; } = new();

    public SmtpSimulator Smtp { get; } = new();

    /// <summary>Gets the data folder made for this run (deleted on dispose), or null when one was configured.</summary>
    public string? OwnedDataDirectory => _ownedDataDirectory;

    /// <summary>Gets the sender address of the documentation emails.</summary>
    public static string EmailFrom => "HyOpps Sandbox <noreply@sandbox.hyopps.test>";

    /// <summary>Starts every simulator.</summary>
    public static async Task<SandboxEnvironment> StartAsync(string? ownedDataDirectory, CancellationToken cancellationToken)
    {
        var sandbox = new SandboxEnvironment(ownedDataDirectory);
        try
        {
            // Invitations become accounts quickly, but not at once, so the flow shows its eventual-consistency retries.
            sandbox.Slack.InvitationAcceptedAfterLookups = 1;
            sandbox.Atlassian.InvitedAccountVisibleAfterSearches = 1;
            sandbox.Graph.NewGuestInvisibleAttempts = 1;
            await sandbox.Metabase.StartAsync(cancellationToken);
            await sandbox.Graph.StartAsync(cancellationToken);
            await sandbox.Slack.StartAsync(cancellationToken);
            await sandbox.Atlassian.StartAsync(cancellationToken);
            await sandbox.Smtp.StartAsync(cancellationToken);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Gets the configuration that points every integration at its simulator, with short waits.</summary>
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
        ["HyOpps:Email:From"] = EmailFrom,
    };

    /// <summary>Gets the secrets the simulators accept, to check that none of them reaches a log or an output.</summary>
    public IReadOnlyList<string> Secrets =>
        [Metabase.ApiKey, Metabase.AdminPassword, Graph.ClientSecret, .. Graph.IssuedAccessTokens, Slack.BotToken, Slack.AdminToken, Atlassian.ApiToken, Atlassian.OrgAdminApiKey];

    /// <summary>Creates, in every simulator, the group, team, user group and channel of an org, and returns their ids.</summary>
    public SandboxOrgResources ProvisionOrg(string orgName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgName);
        var n = Interlocked.Increment(ref _orgCounter);
        var handle = $"org-{n}";
        var lead = Slack.AddUser($"lead-{n}@{handle}.sandbox.test", $"{orgName} lead");
        var team = Graph.CreateTeam($"{orgName} partners");
        return new SandboxOrgResources
        {
            MetabaseGroupId = Metabase.CreateGroup($"{orgName} ({handle})"),
            TeamsTeamId = team,
            TeamsChannelId = Graph.CreateChannel(team, "Partner channel"),
            SlackUserGroupId = Slack.CreateUserGroup($"{handle}-partners", lead),
            SlackChannelId = Slack.CreateChannel($"{handle}-partners"),
            AtlassianGroupId = Atlassian.CreateGroup($"{orgName} ({handle})").GroupId,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Metabase.DisposeAsync();
        await Graph.DisposeAsync();
        await Slack.DisposeAsync();
        await Atlassian.DisposeAsync();
        await Smtp.DisposeAsync();
        if (_ownedDataDirectory is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_ownedDataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
