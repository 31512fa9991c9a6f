using System.Net.Http.Headers;
using HyOpps.Testing.Sandbox;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace HyOpps.Testing.Tests;

public sealed class HyOppsSandboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_StartsAllFiveAndTheSettingsPointAtThem()
    {
        await using var sandbox = await HyOppsSandbox.StartAsync(cancellationToken: Ct);
        var settings = sandbox.Settings;

        Assert.Equal(sandbox.Metabase.BaseAddress.ToString(), settings["HyOpps:Metabase:BaseUrl"]);
        Assert.Equal(sandbox.Slack.ApiBaseAddress.ToString(), settings["HyOpps:Slack:BaseUrl"]);
        Assert.Equal(sandbox.Atlassian.SiteUrl.ToString(), settings["HyOpps:Atlassian:SiteUrl"]);
        Assert.Equal(sandbox.Graph.GraphBaseUrl.ToString(), settings["HyOpps:Teams:GraphBaseUrl"]);
        Assert.Equal(sandbox.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), settings["HyOpps:Email:Port"]);
        Assert.All(new[] { sandbox.Metabase.BaseAddress, sandbox.Slack.BaseAddress, sandbox.Atlassian.BaseAddress, sandbox.Graph.BaseAddress },
            a => Assert.True(a.IsLoopback && a.Port > 0, a.ToString()));

        // Each secret in the settings is one the simulators accept, and all of them are listed as secrets.
        foreach (var key in new[] { "HyOpps:Metabase:ApiKey", "HyOpps:Teams:ClientSecret", "HyOpps:Slack:BotToken", "HyOpps:Slack:AdminToken", "HyOpps:Atlassian:ApiToken", "HyOpps:Atlassian:OrgAdminApiKey" })
        {
            Assert.Contains(settings[key], sandbox.Secrets);
        }

        using var http = new HttpClient();
        using var slack = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.Slack.ApiBaseAddress, "users.lookupByEmail?email=nobody@partner.example"));
        slack.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings["HyOpps:Slack:BotToken"]);
        using var answer = await http.SendAsync(slack, Ct);

        // Slack answers HTTP 200 with ok: false and the plural error code (reference 2.2).
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"error\":\"users_not_found\"", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_TwoSandboxes_ShareNothing()
    {
        await using var first = await HyOppsSandbox.StartAsync(cancellationToken: Ct);
        await using var second = await HyOppsSandbox.StartAsync(cancellationToken: Ct);

        Assert.NotEqual(first.Metabase.BaseAddress, second.Metabase.BaseAddress);
        Assert.NotEqual(first.Smtp.Port, second.Smtp.Port);
        Assert.Empty(first.Secrets.Intersect(second.Secrets));
    }

    [Fact]
    public async Task ProvisionOrg_CreatesTheOrgsResourcesInEverySimulator()
    {
        await using var sandbox = await HyOppsSandbox.StartAsync(cancellationToken: Ct);

        var org = sandbox.ProvisionOrg("Acme");
        var other = sandbox.ProvisionOrg("Acme");

        Assert.Equal("Acme (org-1)", sandbox.Metabase.GetGroup(org.MetabaseGroupId!.Value)!.Name);
        Assert.NotNull(sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!));
        Assert.Single(sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!));
        Assert.Empty(sandbox.Graph.GetChannelMembers(org.TeamsTeamId!, org.TeamsChannelId!));
        Assert.NotEqual(org.MetabaseGroupId, other.MetabaseGroupId);
        Assert.NotEqual(org.SlackUserGroupId, other.SlackUserGroupId);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task StartAsync_EventualConsistency_SetsTheDelaysOfEverySimulator(bool eventual, int expected)
    {
        await using var sandbox = await HyOppsSandbox.StartAsync(new HyOppsSandboxOptions { EventualConsistency = eventual }, Ct);

        Assert.Equal(expected, sandbox.Slack.InvitationAcceptedAfterLookups);
        Assert.Equal(expected, sandbox.Atlassian.InvitedAccountVisibleAfterSearches);
        Assert.Equal(expected, sandbox.Graph.NewGuestInvisibleAttempts);
    }

    [Fact]
    public async Task Smtp_ReceivesWhatIsSentToTheConfiguredPort()
    {
        await using var sandbox = await HyOppsSandbox.StartAsync(cancellationToken: Ct);
        var message = new MimeMessage { Subject = "Hello", Body = new TextPart("plain") { Text = "Hi" } };
        message.From.Add(MailboxAddress.Parse("noreply@sandbox.hyopps.test"));
        message.To.Add(MailboxAddress.Parse("ada@partner.example"));

        using (var client = new SmtpClient())
        {
            await client.ConnectAsync(sandbox.Settings["HyOpps:Email:Host"]!, int.Parse(sandbox.Settings["HyOpps:Email:Port"]!, System.Globalization.CultureInfo.InvariantCulture), SecureSocketOptions.None, Ct);
            await client.SendAsync(message, Ct);
            await client.DisconnectAsync(true, Ct);
        }

        var received = Assert.Single(await sandbox.Smtp.WaitForMessagesAsync(1, TimeSpan.FromSeconds(10), Ct));
        Assert.Equal("Hello", received.Subject);
    }
}
