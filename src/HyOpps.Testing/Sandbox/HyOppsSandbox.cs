using System.Globalization;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Smtp;

namespace HyOpps.Testing.Sandbox;

/// <summary>
/// The five simulators (Metabase, Microsoft Graph for Teams, Slack, Atlassian and SMTP) on 127.0.0.1 with ports the operating system
/// picks, and the configuration that points the five HyOpps integrations at them.
/// </summary>
/// <remarks>
/// Start one per host or test with <see cref="StartAsync"/>, add <see cref="Settings"/> to the host's configuration, and dispose it
/// with the host. Every simulator accepts only the credentials in <see cref="Settings"/>; <see cref="Secrets"/> lists them so a
/// test can check that none reaches a log or an output.
/// </remarks>
public sealed class HyOppsSandbox : IAsyncDisposable
{
    private int _orgCounter;

    private HyOppsSandbox()
    {
    }

    /// <summary>Gets the sender address of the emails sent through <see cref="Smtp"/>.</summary>
    public static string EmailFrom => "HyOpps Sandbox <noreply@sandbox.hyopps.test>";

    /// <summary>Gets the Metabase simulator.</summary>
    public MetabaseSimulator Metabase { get; } = new();

    /// <summary>Gets the Microsoft Graph simulator the Teams integration talks to.</summary>
    public GraphSimulator Graph { get; } = new();

    /// <summary>Gets the Slack simulator.</summary>
    public SlackSimulator Slack { get; } = new();

    /// <summary>Gets the Atlassian simulator.</summary>
    public AtlassianSimulator Atlassian { get; } = new();

    /// <summary>Gets the SMTP simulator.</summary>
    public SmtpSimulator Smtp { get; } = new();

    /// <summary>Gets the configuration (keys <c>HyOpps:Metabase:*</c>, <c>HyOpps:Teams:*</c>, <c>HyOpps:Slack:*</c>, <c>HyOpps:Atlassian:*</c>, <c>HyOpps:Email:*</c>) that points every integration at its simulator, with short waits.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(Graph.CreateConfiguration(), StringComparer.OrdinalIgnoreCase)
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

    /// <summary>Gets every secret the simulators accept (keys, tokens, passwords and the access tokens issued so far).</summary>
    public IReadOnlyList<string> Secrets =>
        [Metabase.ApiKey, Metabase.AdminPassword, Graph.ClientSecret, .. Graph.IssuedAccessTokens, Slack.BotToken, Slack.AdminToken, Atlassian.ApiToken, Atlassian.OrgAdminApiKey];

    /// <summary>Starts the five simulators.</summary>
    /// <param name="options">How the simulators behave; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">The token to cancel start-up.</param>
    /// <returns>The started sandbox; dispose it to stop the simulators.</returns>
    public static async Task<HyOppsSandbox> StartAsync(HyOppsSandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HyOppsSandboxOptions();
        var sandbox = new HyOppsSandbox();
        try
        {
            // With eventual consistency on, invitations become accounts after one more look, as the real services do, so a
            // flow shows its retries; off, everything is visible at once (benchmarks measure work rather than waits).
            var lookups = options.EventualConsistency ? 1 : 0;
            sandbox.Slack.InvitationAcceptedAfterLookups = lookups;
            sandbox.Atlassian.InvitedAccountVisibleAfterSearches = lookups;
            sandbox.Graph.NewGuestInvisibleAttempts = lookups;
            await sandbox.Metabase.StartAsync(cancellationToken).ConfigureAwait(false);
            await sandbox.Graph.StartAsync(cancellationToken).ConfigureAwait(false);
            await sandbox.Slack.StartAsync(cancellationToken).ConfigureAwait(false);
            await sandbox.Atlassian.StartAsync(cancellationToken).ConfigureAwait(false);
            await sandbox.Smtp.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await sandbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return sandbox;
    }

    /// <summary>Creates, in every simulator, an org's Metabase group, team and channel, Slack user group and channel, and Atlassian group.</summary>
    /// <param name="orgName">The org's name, used in the resources' names.</param>
    /// <returns>The resources' ids.</returns>
    /// <exception cref="ArgumentException"><paramref name="orgName"/> is empty.</exception>
    public HyOppsSandboxOrg ProvisionOrg(string orgName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgName);
        var n = Interlocked.Increment(ref _orgCounter);
        var handle = $"org-{n}";
        var lead = Slack.AddUser($"lead-{n}@{handle}.sandbox.test", $"{orgName} lead");
        var team = Graph.CreateTeam($"{orgName} partners");
        return new HyOppsSandboxOrg
        {
            MetabaseGroupId = Metabase.CreateGroup($"{orgName} ({handle})"),
            TeamsTeamId = team,
            TeamsChannelId = Graph.CreateChannel(team, "Partner channel"),
            SlackUserGroupId = Slack.CreateUserGroup($"{handle}-partners", lead),
            SlackChannelId = Slack.CreateChannel($"{handle}-partners"),
            AtlassianGroupId = Atlassian.CreateGroup($"{orgName} ({handle})").GroupId,
        };
    }

    /// <summary>Stops the five simulators.</summary>
    /// <returns>A task that completes once they stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await Metabase.DisposeAsync().ConfigureAwait(false);
        await Graph.DisposeAsync().ConfigureAwait(false);
        await Slack.DisposeAsync().ConfigureAwait(false);
        await Atlassian.DisposeAsync().ConfigureAwait(false);
        await Smtp.DisposeAsync().ConfigureAwait(false);
    }
}
