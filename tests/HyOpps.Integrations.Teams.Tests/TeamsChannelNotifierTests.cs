using Azure.Identity;
using HyOpps.Integrations.Teams.Internal;
using HyOpps.TestUtilities;
using HyOpps.Testing.Graph;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class TeamsChannelNotifierTests : IAsyncLifetime
{
    private const string Email = "ada.secret@partner.example";
    private readonly GraphSimulator _graph = new();
    private ServiceProvider? _services;
    private string _teamId = string.Empty;
    private string _channelId = string.Empty;
    private string _refreshToken = string.Empty;
    private GraphUser _poster = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeLogCollector Logs => _services!.GetFakeLogCollector();

    public async ValueTask InitializeAsync()
    {
        await _graph.StartAsync(Ct);
        _poster = _graph.AddUser("hyopps-bot@contoso.example", "HyOpps notifications");
        _teamId = _graph.CreateTeam("Partner operations");
        _channelId = _graph.CreateChannel(_teamId, "Alerts", GraphChannelMembershipType.Standard);
        _graph.AddTeamMember(_teamId, _poster.Id);
        _refreshToken = _graph.CreateRefreshToken(_poster.Id);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await _graph.DisposeAsync();
    }

    private static ExecutionNotification Notification(string org = "acme", string summary = "Step invite_to_teams of new_partner_user failed permanently (category: PermissionDenied)") => new()
    {
        EventId = "e1/StepFailedPermanently/4.1",
        Kind = ExecutionNotificationKind.StepFailedPermanently,
        ExecutionId = "e1",
        WorkflowName = "new_partner_user",
        StepId = "invite_to_teams",
        OccurredAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        Labels = new Dictionary<string, string> { ["org"] = org, ["email"] = Email },
        DashboardUrl = new Uri("https://ops.example.com/hyopps/executions/e1?a=1&b=2"),
        Summary = summary,
    };

    private IExecutionNotifier Notifier(Action<TeamsNotificationOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
        services.AddFakeLogging();
        services.AddHyOpps()
            .AddTeams(o =>
            {
                o.TenantId = _graph.TenantId;
                o.ClientId = _graph.ClientId;
                o.ClientSecret = _graph.ClientSecret;
                o.GraphBaseUrl = _graph.GraphBaseUrl.ToString();
                o.AuthorityHost = _graph.AuthorityHost.ToString();
            })
            .AddTeamsNotifications(configure);
        services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(_graph.CreateHttpMessageHandler);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TeamsChannelNotifier(
            _services.GetRequiredService<IOptions<TeamsNotificationOptions>>(),
            _services.GetRequiredService<IOptions<TeamsOptions>>(),
            _services.GetRequiredService<IHttpClientFactory>(),
            TimeProvider.System,
            _services.GetRequiredService<ILogger<TeamsChannelNotifier>>());
    }

    private void DefaultChannel(TeamsNotificationOptions o)
    {
        o.TeamId = _teamId;
        o.ChannelId = _channelId;
        o.RefreshToken = _refreshToken;
    }

    [Fact]
    public async Task NotifyAsync_RefreshToken_PostsEscapedHtmlAsTheUserWithoutLabelValues()
    {
        var notifier = Notifier(DefaultChannel);

        await notifier.NotifyAsync(Notification(summary: "Step <b>x</b> & \"y\" failed"), Ct);

        var message = Assert.Single(_graph.GetChannelMessages(_teamId, _channelId));
        Assert.Equal(("html", _poster.Id), (message.ContentType, message.FromUserId));
        Assert.Contains("<strong>Step failed permanently</strong> in <code>new_partner_user</code> (step <code>invite_to_teams</code>)", message.Content, StringComparison.Ordinal);
        Assert.Contains("<p>Step &lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot; failed</p>", message.Content, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ops.example.com/hyopps/executions/e1?a=1&amp;b=2\">", message.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", message.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_Twice_RedeemsTheRefreshTokenOnce()
    {
        var notifier = Notifier(DefaultChannel);

        await notifier.NotifyAsync(Notification(), Ct);
        await notifier.NotifyAsync(Notification(), Ct);

        Assert.Equal(2, _graph.GetChannelMessages(_teamId, _channelId).Count);
        Assert.Equal(1, _graph.TokenRequestCount);
    }

    [Fact]
    public async Task NotifyAsync_Selector_RoutesByOrgAndFallsBackToTheDefault()
    {
        var acmeChannel = _graph.CreateChannel(_teamId, "Acme", GraphChannelMembershipType.Standard);
        var notifier = Notifier(o =>
        {
            DefaultChannel(o);
            o.ChannelSelector = (n, _) => ValueTask.FromResult(n.Labels.GetValueOrDefault("org") == "acme" ? new TeamsChannelAddress(_teamId, acmeChannel) : null);
        });

        await notifier.NotifyAsync(Notification("acme"), Ct);
        await notifier.NotifyAsync(Notification("globex"), Ct);

        Assert.Single(_graph.GetChannelMessages(_teamId, acmeChannel));
        Assert.Single(_graph.GetChannelMessages(_teamId, _channelId));
    }

    [Fact]
    public async Task NotifyAsync_NoChannel_PostsNothing()
    {
        var notifier = Notifier(o => o.RefreshToken = _refreshToken);

        await notifier.NotifyAsync(Notification(), Ct);

        Assert.Empty(_graph.ChannelMessages);
        Assert.Equal(0, _graph.TokenRequestCount);
    }

    [Fact]
    public async Task NotifyAsync_AppOnlyToken_FailsWithGraphs401AndSaysDelegatedIsNeeded()
    {
        var notifier = Notifier(o =>
        {
            o.TeamId = _teamId;
            o.ChannelId = _channelId;
            o.Credential = new AppOnly(_services!.GetRequiredService<TeamsTokenCredential>(), _graph.GraphBaseUrl);
        });

        var ex = await Assert.ThrowsAnyAsync<ApiException>(async () => await notifier.NotifyAsync(Notification(), Ct));

        Assert.Equal(401, ex.ResponseStatusCode);
        var error = Assert.Single(Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("delegated", error.Message, StringComparison.Ordinal);
        Assert.Empty(_graph.ChannelMessages);
    }

    [Fact]
    public async Task NotifyAsync_NoCredential_ThrowsNamingTheRefreshTokenKey()
    {
        var notifier = Notifier(o =>
        {
            o.TeamId = _teamId;
            o.ChannelId = _channelId;
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await notifier.NotifyAsync(Notification(), Ct));

        Assert.Contains("HyOpps:TeamsNotifications:RefreshToken", ex.Message, StringComparison.Ordinal);
        Assert.Single(Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task NotifyAsync_UnknownChannel_Throws404AndLogsTheKeysToCheck()
    {
        var notifier = Notifier(o =>
        {
            DefaultChannel(o);
            o.ChannelId = "19:gone@thread.tacv2";
        });

        var ex = await Assert.ThrowsAnyAsync<ApiException>(async () => await notifier.NotifyAsync(Notification(), Ct));

        Assert.Equal(404, ex.ResponseStatusCode);
        var error = Assert.Single(Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("HyOpps:TeamsNotifications:ChannelId", error.Message, StringComparison.Ordinal);
        AssertNoLeak();
    }

    [Fact]
    public async Task NotifyAsync_PosterNotInTheTeam_Throws403AndSaysSo()
    {
        var otherTeam = _graph.CreateTeam("Elsewhere");
        var otherChannel = _graph.CreateChannel(otherTeam, "General", GraphChannelMembershipType.Standard);
        var notifier = Notifier(o =>
        {
            o.RefreshToken = _refreshToken;
            o.TeamId = otherTeam;
            o.ChannelId = otherChannel;
        });

        var ex = await Assert.ThrowsAnyAsync<ApiException>(async () => await notifier.NotifyAsync(Notification(), Ct));

        Assert.Equal(403, ex.ResponseStatusCode);
        Assert.Contains("must be a member of team", Assert.Single(Logs.GetSnapshot(), r => r.Level == LogLevel.Error).Message, StringComparison.Ordinal);
        AssertNoLeak();
    }

    [Fact]
    public async Task NotifyAsync_RevokedRefreshToken_ThrowsAndAsksForANewOneWithoutLeakingIt()
    {
        var notifier = Notifier(DefaultChannel);
        _graph.RevokeRefreshTokens();

        var ex = await Assert.ThrowsAsync<AuthenticationFailedException>(async () => await notifier.NotifyAsync(Notification(), Ct));

        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:TeamsNotifications:RefreshToken", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_refreshToken, ex.ToString(), StringComparison.Ordinal);
        Assert.Single(Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        AssertNoLeak();
    }

    [Fact]
    public void Options_TeamWithoutChannel_FailsNamingBothKeys()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Notifier(o => o.TeamId = _teamId));

        Assert.Contains("HyOpps:TeamsNotifications:ChannelId is required when HyOpps:TeamsNotifications:TeamId is set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_StepFailsPermanently_PostsOneTeamsMessageWithTheLink()
    {
        await using var host = await WorkflowTestHost.StartAsync(
            b => b.AddTeams(o =>
                {
                    o.TenantId = _graph.TenantId;
                    o.ClientId = _graph.ClientId;
                    o.ClientSecret = _graph.ClientSecret;
                    o.GraphBaseUrl = _graph.GraphBaseUrl.ToString();
                    o.AuthorityHost = _graph.AuthorityHost.ToString();
                })
                .AddTeamsNotifications(DefaultChannel)
                .AddWorkflow("onboard", wf => wf.Step("grant_access", (_, _) =>
                    throw StepException.Permanent($"No account for {Email}.", StepErrorTypes.NotFound))),
            o =>
            {
                o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps");
                o.Notifications.PollInterval = TimeSpan.FromMilliseconds(100);
            },
            services: s => s.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(_graph.CreateHttpMessageHandler));

        var id = (await host.Client.StartJsonAsync(
            "onboard", "{}", new StartExecutionOptions { Labels = new Dictionary<string, string> { ["email"] = Email } }, Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);
        var message = await Eventually.UntilAsync(
            () => Task.FromResult(_graph.GetChannelMessages(_teamId, _channelId).SingleOrDefault()), m => m is not null, "the Teams notification");

        Assert.Contains($"https://ops.example.com/hyopps/executions/{id}", message!.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.Content, StringComparison.Ordinal);
        Assert.Single(_graph.ChannelMessages);
        foreach (var record in host.Logs.GetSnapshot())
        {
            Assert.DoesNotContain(_refreshToken, record.Message, StringComparison.Ordinal);
            Assert.All(_graph.IssuedAccessTokens, t => Assert.DoesNotContain(t, record.Message, StringComparison.Ordinal));
        }
    }

    /// <summary>An application token, as an app that tried its client credentials (with, say, Teamwork.Migrate.All) would send.</summary>
    private sealed class AppOnly(Azure.Core.TokenCredential app, Uri graph) : Azure.Core.TokenCredential
    {
        public override Azure.Core.AccessToken GetToken(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
            => app.GetToken(Default(), cancellationToken);

        public override ValueTask<Azure.Core.AccessToken> GetTokenAsync(Azure.Core.TokenRequestContext requestContext, CancellationToken cancellationToken)
            => app.GetTokenAsync(Default(), cancellationToken);

        private Azure.Core.TokenRequestContext Default() => new([$"{graph.GetLeftPart(UriPartial.Authority)}/.default"]);
    }

    private void AssertNoLeak()
    {
        foreach (var record in Logs.GetSnapshot())
        {
            var text = record.Message + " " + record.Exception + " " + string.Join(",", record.StructuredState ?? []);
            Assert.DoesNotContain(_refreshToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(_graph.ClientSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Email, text, StringComparison.Ordinal);
            Assert.All(_graph.IssuedAccessTokens, t => Assert.DoesNotContain(t, text, StringComparison.Ordinal));
        }
    }
}
