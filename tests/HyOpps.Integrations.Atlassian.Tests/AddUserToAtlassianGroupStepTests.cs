using System.Text;
using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using Microsoft.Extensions.Time.Testing;
using static HyOpps.Integrations.Atlassian.Tests.AtlassianHarness;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AddUserToAtlassianGroupStepTests
{
    private const string Email = "ada.lovelace@partner.example";

    [Fact]
    public async Task ExecuteAsync_ExistingAccount_AddsToGroupAndVerifies()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email, "Ada Lovelace");
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.AddAsync(h.Context(Input(Email, group.GroupId)));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(account.AccountId, (string?)result.Output!["atlassian_account_id"]);
        Assert.Equal(group.GroupId, (string?)result.Output["atlassian_group_id"]);
        Assert.True((bool)result.Output["added"]!);
        Assert.True((bool)result.Output["verified"]!);
        Assert.False((bool)result.Output["invited"]!);
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_SecondRun_ChangesNothing()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        await h.AddAsync(h.Context(Input(Email, group.GroupId)));
        var postsAfterFirst = h.CountRequests("POST", "/rest/api/3/group/user");

        var second = await h.AddAsync(h.Context(Input(Email, group.GroupId)));

        Assert.Equal(StepOutcome.Succeeded, second.Outcome);
        Assert.False((bool)second.Output!["added"]!);
        Assert.Equal(account.AccountId, (string?)second.Output["atlassian_account_id"]);
        Assert.Equal(postsAfterFirst, h.CountRequests("POST", "/rest/api/3/group/user"));
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_EmailDiffersInCase_MatchesTheAccount()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount("Ada.Lovelace@Partner.Example");
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.AddAsync(h.Context(Input(" ada.lovelace@partner.example ", group.GroupId)));

        Assert.Equal(account.AccountId, (string?)result.Output!["atlassian_account_id"]);
    }

    [Fact]
    public async Task ExecuteAsync_SearchOnlyPrefixMatchesOtherAccounts_DoesNotPickThem()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email + ".au");
        h.Simulator.AddAccount("bot-" + Email, accountType: "app");
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Empty(h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_NoAccountWithoutAdminKey_FailsPermanentlySayingWhatToDo()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Contains(Email, ex.Message, StringComparison.Ordinal);
        Assert.Contains("invite the person to the Atlassian site", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:OrgAdminApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:OrgId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("retry the step", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.Invites);
    }

    [Fact]
    public async Task ExecuteAsync_NoAccountWithAdminKey_InvitesOnceAndSucceedsOnceTheAccountAppears()
    {
        await using var h = await StartAsync(o => o.InvitePollInterval = TimeSpan.FromSeconds(7), withAdminKey: true);
        h.Simulator.InvitedAccountVisibleAfterSearches = 2;
        var group = h.Simulator.CreateGroup("acme-partners");
        var context = h.Context(Input(Email, group.GroupId));

        var first = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));
        Assert.True(first.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(7), first.RetryAfter);
        Assert.Contains("Invited " + Email, first.Message, StringComparison.Ordinal);
        Assert.Single(context.SavedCheckpoints);
        var invite = Assert.Single(h.Simulator.Invites);
        Assert.Equal([Email], invite.Emails);
        Assert.Equal([group.GroupId], invite.AdditionalGroups);

        StepResult? result = null;
        for (var attempt = 2; attempt <= 5 && result is null; attempt++)
        {
            context.AttemptNumber = attempt;
            try
            {
                result = await h.AddAsync(context);
            }
            catch (StepException ex) when (ex.IsRetryable)
            {
                Assert.Contains("Waiting for the Atlassian account", ex.Message, StringComparison.Ordinal);
            }
        }

        Assert.NotNull(result);
        var account = h.Simulator.FindAccount(Email);
        Assert.NotNull(account);
        Assert.Equal(account.AccountId, (string?)result.Output!["atlassian_account_id"]);
        Assert.True((bool)result.Output["invited"]!);
        Assert.Single(h.Simulator.Invites);
        Assert.Equal(1, h.CountRequests("POST", "/admin/v2/orgs/"));
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_InvitedAccountNeverAppears_FailsPermanentlyAfterInviteTimeoutWithoutReinviting()
    {
        await using var h = await StartAsync(o => o.InviteTimeout = TimeSpan.FromMinutes(10), withAdminKey: true);
        h.Simulator.InvitedAccountVisibleAfterSearches = 1000;
        var group = h.Simulator.CreateGroup("acme-partners");
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var context = h.Context(Input(Email, group.GroupId));
        context.Clock = clock;

        await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));
        clock.Advance(TimeSpan.FromMinutes(5));
        var waiting = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));
        clock.Advance(TimeSpan.FromMinutes(6));
        var timedOut = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));

        Assert.True(waiting.IsRetryable);
        Assert.False(timedOut.IsRetryable);
        Assert.Contains("was invited to Atlassian", timedOut.Message, StringComparison.Ordinal);
        Assert.Single(h.Simulator.Invites);
    }

    [Fact]
    public async Task ExecuteAsync_NoAccountWithSiteInviteProducts_CreatesTheAccountAndAddsIt()
    {
        await using var h = await StartAsync(o => o.Products.Add("jira-software"));
        var group = h.Simulator.CreateGroup("acme-partners");
        var context = h.Context(Input(Email, group.GroupId));

        var result = await h.AddAsync(context);

        var account = h.Simulator.FindAccount(Email);
        Assert.NotNull(account);
        Assert.Equal(account.AccountId, (string?)result.Output!["atlassian_account_id"]);
        Assert.True((bool)result.Output["invited"]!);
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Equal(1, h.CountRequests("POST", "/rest/api/3/user"));

        var again = await h.AddAsync(context);
        Assert.Equal(account.AccountId, (string?)again.Output!["atlassian_account_id"]);
        Assert.Equal(1, h.CountRequests("POST", "/rest/api/3/user"));
    }

    [Fact]
    public async Task ExecuteAsync_CandidatesHideTheirEmail_FailsPermanentlySayingTheEmailIsHidden()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.AddAccount(Email, "Ada Lovelace", emailHidden: true);
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Contains("found 1 accounts matching but their email is hidden by profile visibility", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.Invites);
        Assert.Empty(h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_WrongApiToken_FailsPermanentlyNamingEmailAndApiToken()
    {
        await using var h = await StartAsync(o => o.ApiToken = "wrong-token-value");
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("HyOpps:Atlassian:Email", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:ApiToken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Client must be authenticated", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token-value", ex.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task ExecuteAsync_AccountIsNotSiteAdmin_FailsPermanentlyNamingThePermission()
    {
        await using var h = await StartAsync();
        h.Simulator.IsSiteAdmin = false;
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("site admin", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Administer Jira", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:Email", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WrongOrgAdminApiKey_FailsPermanentlyNamingTheKeySetting()
    {
        await using var h = await StartAsync(o => { o.OrgAdminApiKey = "wrong-admin-key"; o.OrgId = "org-1"; });
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("HyOpps:Atlassian:OrgAdminApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ADMIN-UAM-401-1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-admin-key", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RateLimited_RetriesAfterRetryAfterAndSucceeds()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.InjectRateLimit("/rest/api/3/user/search", TimeSpan.Zero, times: 2, method: "GET");
        h.Simulator.InjectRateLimit("/rest/api/3/group/user", TimeSpan.Zero, times: 1, method: "POST");

        var result = await h.AddAsync(h.Context(Input(Email, group.GroupId)));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(3, h.CountRequests("GET", "/rest/api/3/user/search"));
        Assert.Equal(2, h.CountRequests("POST", "/rest/api/3/group/user"));
        Assert.Single(h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_RateLimitedLongerThanMaxRetryAfter_FailsTransientWithTheServiceDelay()
    {
        await using var h = await StartAsync(o => o.MaxRetryAfter = TimeSpan.FromSeconds(30));
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.InjectRateLimit("/rest/api/3/user/search", TimeSpan.FromSeconds(120), times: 1, method: "GET");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.RateLimited, ex.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task ExecuteAsync_ServiceUnavailable_RetriesAndSucceeds()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.Faults.Add(SimulatedFault.Status(503, "Service Unavailable", retryAfter: TimeSpan.Zero), times: 2, "GET", "/rest/api/3/group/member");

        var result = await h.AddAsync(h.Context(Input(Email, group.GroupId)));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(0, h.Simulator.Faults.Pending);
    }

    [Fact]
    public async Task ExecuteAsync_ServerKeepsFailing_FailsTransientAfterBoundedRetries()
    {
        await using var h = await StartAsync(o => o.MaxRetryAttempts = 2);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.Faults.Add(SimulatedFault.Status(500, "boom"), times: 10, "GET", "/rest/api/3/user/search");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.True(ex.IsRetryable);
        Assert.Contains("500", ex.Message, StringComparison.Ordinal);
        Assert.Contains("boom", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownGroup_FailsPermanentlyNamingTheGroupId()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, "0b7c5a5e-0000-4000-8000-000000000000"))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Contains("'0b7c5a5e-0000-4000-8000-000000000000'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.CountRequests("POST", "/rest/api/3/group/user"));
    }

    [Fact]
    public async Task ExecuteAsync_UnexpectedJiraError_KeepsTheServiceMessages()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.Faults.Add(
            SimulatedFault.Status(400, """{"errorMessages":["Group 'acme-partners' is managed externally."],"errors":{"accountId":"is locked"}}""", "application/json"),
            times: 1,
            "POST",
            "/rest/api/3/group/user");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Contains("Group 'acme-partners' is managed externally.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("accountId: is locked", ex.Message, StringComparison.Ordinal);
        Assert.Contains("400", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_NotConfigured_FailsNamingTheSettings()
    {
        await using var h = await StartAsync(o =>
        {
            o.SiteUrl = null;
            o.Email = null;
            o.ApiToken = null;
        });

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, "group-1"))));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.False(ex.IsRetryable);
        Assert.Contains("HyOpps:Atlassian:SiteUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:Email", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:ApiToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_HalfConfiguredWithoutHostValidation_FailsNamingTheMissingKey()
    {
        await using var h = await StartAsync(o => o.ApiToken = null);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, "group-1"))));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Atlassian:ApiToken is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_AnyOutcome_NeverLogsOrOutputsSecrets()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.InvitedAccountVisibleAfterSearches = 0;
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        var texts = new List<string>();

        var ok = await h.AddAsync(h.Context(Input(Email, group.GroupId)));
        texts.Add(ok.Output!.ToJsonString());
        var inviteContext = h.Context(Input("new.person@partner.example", group.GroupId));
        texts.Add((await Assert.ThrowsAsync<StepException>(() => h.AddAsync(inviteContext))).ToString());
        texts.AddRange(inviteContext.SavedCheckpoints.Select(c => c.GetRawText()));
        var invited = await h.AddAsync(inviteContext);
        texts.Add(invited.Output!.ToJsonString());

        await using var bad = await StartAsync(o => o.ApiToken = "bad-secret-token-123");
        var badGroup = bad.Simulator.CreateGroup("acme-partners");
        texts.Add((await Assert.ThrowsAsync<StepException>(() => bad.AddAsync(bad.Context(Input(Email, badGroup.GroupId))))).ToString());

        texts.AddRange(h.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception));
        texts.AddRange(bad.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception));
        Assert.NotEmpty(h.Logs.GetSnapshot());
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{h.Simulator.Email}:{h.Simulator.ApiToken}"));
        var badBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{bad.Simulator.Email}:bad-secret-token-123"));
        foreach (var secret in new[] { h.Simulator.ApiToken, h.Simulator.OrgAdminApiKey, basic, "bad-secret-token-123", badBasic })
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }
}
