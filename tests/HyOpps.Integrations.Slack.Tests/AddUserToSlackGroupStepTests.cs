using HyOpps.Integrations.Slack.Internal;
using HyOpps.Testing.Simulation;
using HyOpps.Testing.Slack;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class AddUserToSlackGroupStepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_UserNotInGroup_AddsUserAndKeepsExistingMembers()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var b = h.Simulator.AddUser("b@acme.test");
        var c = h.Simulator.AddUser("c@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, b, c);

        var result = await h.AddAsync(SlackHarness.Input(" Ada@Partner.test ", group));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal([a, b, c, x], h.Simulator.GetUserGroupMembers(group));
        Assert.Equal(x, result.Output!["slack_user_id"]!.GetValue<string>());
        Assert.Equal(group, result.Output!["slack_user_group_id"]!.GetValue<string>());
        var output = SlackHarness.Output<AddUserToSlackGroupOutput>(result);
        Assert.False(output.AlreadyMember);
        Assert.Equal(4, output.MemberCount);
        Assert.Null(output.ChannelInvite);
    }

    [Fact]
    public async Task ExecuteAsync_RunTwice_SecondRunChangesNothing()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        var input = SlackHarness.Input("ada@partner.test", group);

        await h.AddAsync(input);
        var second = await h.AddAsync(input);

        Assert.True(SlackHarness.Output<AddUserToSlackGroupOutput>(second).AlreadyMember);
        Assert.Equal([a, x], h.Simulator.GetUserGroupMembers(group));
        Assert.Single(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_TwoParallelOnboardingsIntoSameGroup_LosesNeither()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("x@partner.test");
        var y = h.Simulator.AddUser("y@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);

        // Hold both lookups until both arrived, so both steps reach the read-modify-write at the same time.
        var arrived = 0;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Simulator.BeforeMethod = async (method, ct) =>
        {
            if (method == "users.lookupByEmail")
            {
                if (Interlocked.Increment(ref arrived) == 2)
                {
                    bothArrived.TrySetResult();
                }

                await bothArrived.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            }
        };

        var results = await Task.WhenAll(
            Task.Run(() => h.AddAsync(SlackHarness.Input("x@partner.test", group)), Ct),
            Task.Run(() => h.AddAsync(SlackHarness.Input("y@partner.test", group)), Ct));

        Assert.All(results, r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        Assert.Equal([a, x, y], h.Simulator.GetUserGroupMembers(group).Order());

        // The per-group lock serialises the two read-modify-write sequences: they never interleave.
        var groupCalls = h.Simulator.Calls.Where(c => c.Method.StartsWith("usergroups.users.", StringComparison.Ordinal)).Select(c => c.Method).ToArray();
        Assert.Equal(
            ["usergroups.users.list", "usergroups.users.update", "usergroups.users.list", "usergroups.users.list", "usergroups.users.update", "usergroups.users.list"],
            groupCalls);
        Assert.Equal(0, h.Services.GetRequiredService<SlackUserGroupLocks>().ActiveCount);
    }

    [Fact]
    public async Task ExecuteAsync_ManyParallelOnboardingsIntoSameGroup_AllAreMembers()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        var emails = Enumerable.Range(1, 8).Select(i => $"p{i}@partner.test").ToArray();
        var ids = emails.Select(e => h.Simulator.AddUser(e)).ToArray();

        await Task.WhenAll(emails.Select(e => Task.Run(() => h.AddAsync(SlackHarness.Input(e, group)), Ct)));

        Assert.Equal([a, .. ids], h.Simulator.GetUserGroupMembers(group).Order());
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentWriterDropsUserBetweenUpdateAndConfirm_WritesAgainAndKeepsEveryone()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var z = h.Simulator.AddUser("z@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);

        // Another tool read [a] before our write and now writes [a, z]: our person is dropped once.
        var writes = 0;
        h.Simulator.ConcurrentWriter = (id, members) => Interlocked.Increment(ref writes) == 1 ? [a, z] : null;

        var result = await h.AddAsync(SlackHarness.Input("ada@partner.test", group));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal([a, z, x], h.Simulator.GetUserGroupMembers(group));
        Assert.Equal(2, h.Simulator.Calls.Count(c => c.Method == "usergroups.users.update"));
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("concurrent writer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentWriterAlwaysDropsUser_ThrowsTransientAfterBoundedRounds()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        h.Simulator.ConcurrentWriter = (_, _) => [a];

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.True(ex.IsRetryable);
        Assert.Contains("concurrent writer", ex.Message, StringComparison.Ordinal);
        Assert.Equal(AddUserToSlackGroupStep.MaxWriteRounds, h.Simulator.Calls.Count(c => c.Method == "usergroups.users.update"));
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
    }

    [Theory]
    [InlineData(SlackSimulatorUserKind.Admin, "an admin")]
    [InlineData(SlackSimulatorUserKind.Owner, "an owner")]
    [InlineData(SlackSimulatorUserKind.PrimaryOwner, "the primary owner")]
    public async Task ExecuteAsync_PrivilegedAccount_FailsPermanentlyAndAddsNothing(SlackSimulatorUserKind kind, string role)
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var boss = h.Simulator.AddUser("ada@partner.test", kind: kind);
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        var channel = h.Simulator.CreateChannel("acme");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group, channel)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"The Slack user {boss} is {role} of the workspace", ex.Message, StringComparison.Ordinal);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
        Assert.Empty(h.Simulator.GetChannelMembers(channel));
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method is "usergroups.users.update" or "conversations.invite");
    }

    [Fact]
    public async Task ExecuteAsync_DisabledUserGroup_FailsPermanentlyNamingTheGroupAndTheFix()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        h.Simulator.DisableUserGroup(group);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Contains($"Slack user group {group} (@acme-partners) is disabled", ex.Message, StringComparison.Ordinal);
        Assert.Contains("enable it in Slack", ex.Message, StringComparison.Ordinal);
        Assert.Contains("fix the org's Slack user group id", ex.Message, StringComparison.Ordinal);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_PaddedEmailAndUserGroup_ReachSlackTrimmed()
    {
        await using var h = await SlackHarness.StartAsync();
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners");

        var result = await h.AddAsync(SlackHarness.Input("  Ada@Partner.test ", $" {group}\t"));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal([x], h.Simulator.GetUserGroupMembers(group));
    }

    [Fact]
    public async Task ExecuteAsync_NotConfigured_FailsPermanentlyNamingTheSetting()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.BotToken = null);

        // A blank required field is named first, before the settings are read.
        var blank = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "  ")));
        Assert.Equal(StepErrorTypes.InvalidInput, blank.ErrorType);
        Assert.Equal("The step's input has no user_group_id.", blank.Message);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S1")));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Slack:BotToken", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SLACK_BOT_TOKEN", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_UserNotFoundWithoutAdminToken_FailsPermanentlyAskingForInvitation()
    {
        await using var h = await SlackHarness.StartAsync();
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("nobody@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.StartsWith("nobody@partner.test has no Slack account: invite them to the workspace, then retry this step", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method.StartsWith("usergroups.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExecuteAsync_LegacyUserNotFoundError_TreatedAsNoAccount()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.SimulateError("users.lookupByEmail", "user_not_found");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S0SIM00001")));

        Assert.False(ex.IsRetryable);
        Assert.Contains("has no Slack account", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_TokenLacksUsergroupsWrite_FailsPermanentlyNamingTheScope()
    {
        await using var h = await SlackHarness.StartAsync((o, sim) =>
        {
            sim.AddToken("xoxb-limited", ["users:read", "users:read.email", "usergroups:read"]);
            o.BotToken = "xoxb-limited";
        });
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("'usergroups:write'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("usergroups.users.update", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Slack:BotToken", ex.Message, StringComparison.Ordinal);
        var inner = Assert.IsType<SlackApiException>(ex.InnerException);
        Assert.Equal("usergroups:write", inner.Needed);
        Assert.Contains("usergroups:read", inner.Provided, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_WorkspaceRestrictsUserGroupChanges_ExplainsTheSetting()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        h.Simulator.SetUsergroupWritePolicy(SlackUsergroupWritePolicy.AdminsOnly);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("who can modify user groups", ex.Message, StringComparison.Ordinal);
        Assert.Contains(group, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownUserGroup_FailsPermanentlyNamingTheGroup()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S0NOPE")));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Contains("S0NOPE", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_subteam", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RateLimitedWithRetryAfter_RetriedAndSucceeds()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        h.Simulator.InjectRateLimit("usergroups.users.list", TimeSpan.Zero, times: 2);
        h.Simulator.InjectRateLimit("usergroups.users.update", TimeSpan.Zero);

        var result = await h.AddAsync(SlackHarness.Input("ada@partner.test", group));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal([a, x], h.Simulator.GetUserGroupMembers(group));
        Assert.Equal(0, h.Simulator.Faults.Pending);
        Assert.Equal(2, h.Simulator.Requests.Count(r => r.PathAndQuery.StartsWith("/api/usergroups.users.update", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterLongerThanMaxRetryAfter_ThrowsTransientWithRetryAfter()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test");
        h.Simulator.InjectRateLimit("users.lookupByEmail", TimeSpan.FromSeconds(120));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S1")));

        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.RateLimited, ex.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Single(h.Simulator.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_RateLimitPersists_ThrowsTransientAfterBoundedRetries()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.MaxRetryAttempts = 2);
        h.Simulator.InjectRateLimit("users.lookupByEmail", TimeSpan.Zero, times: 10);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S1")));

        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.RateLimited, ex.ErrorType);
        Assert.Equal(3, h.Simulator.Requests.Count);
        Assert.Equal("ratelimited", Assert.IsType<SlackApiException>(ex.InnerException).Error);
    }

    [Theory]
    [InlineData("internal_error")]
    [InlineData("fatal_error")]
    [InlineData("service_unavailable")]
    [InlineData("request_timeout")]
    public async Task ExecuteAsync_SlackSideFault_ThrowsTransient(string error)
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        h.Simulator.SimulateError("usergroups.users.update", error);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.True(ex.IsRetryable);
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_ServerErrorOnce_RetriedByResilienceHandler()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        h.Simulator.Faults.Add(SimulatedFault.Status(503, "upstream connect error"), pathPrefix: "/api/usergroups.users.list");

        var result = await h.AddAsync(SlackHarness.Input("ada@partner.test", group));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal([a, x], h.Simulator.GetUserGroupMembers(group));
    }

    [Theory]
    [InlineData(SlackSimulatorUserKind.MultiChannelGuest, "multi-channel guest")]
    [InlineData(SlackSimulatorUserKind.SingleChannelGuest, "single-channel guest")]
    [InlineData(SlackSimulatorUserKind.Bot, "bot")]
    public async Task ExecuteAsync_AccountCannotJoinUserGroups_FailsPermanentlyWithoutWriting(SlackSimulatorUserKind kind, string expected)
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test", kind: kind);
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_DeactivatedAccount_FailsPermanently()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.DeactivateUser(h.Simulator.AddUser("ada@partner.test"));
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("deactivated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OrgWithChannel_InvitesToChannelAndAlreadyInChannelIsSuccess()
    {
        await using var h = await SlackHarness.StartAsync();
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        var channel = h.Simulator.CreateChannel("acme-partners");
        var input = SlackHarness.Input("ada@partner.test", group, channel);

        var first = SlackHarness.Output<AddUserToSlackGroupOutput>(await h.AddAsync(input));
        var second = SlackHarness.Output<AddUserToSlackGroupOutput>(await h.AddAsync(input));

        Assert.Equal("invited", first.ChannelInvite);
        Assert.Equal(channel, first.SlackChannelId);
        Assert.Equal("already_in_channel", second.ChannelInvite);
        Assert.Equal([x], h.Simulator.GetChannelMembers(channel));
    }

    [Fact]
    public async Task ExecuteAsync_AppNotInChannel_FailsPermanentlyWithInstruction()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        var channel = h.Simulator.CreateChannel("private-acme", isPrivate: true, appIsMember: false);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group, channel)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("add the app to the channel", ex.Message, StringComparison.Ordinal);
        Assert.Contains(channel, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_NoAccountWithAdminToken_InvitesOnceThenAddsWhenAccountExists()
    {
        await using var h = await SlackHarness.StartAsync(
            (o, _) => o.AccountWaitInterval = TimeSpan.FromSeconds(30), withAdminToken: true);
        var a = h.Simulator.AddUser("a@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        var channel = h.Simulator.CreateChannel("acme-partners");
        h.Simulator.InvitationAcceptedAfterLookups = 1;
        var context = h.Context(SlackHarness.Input("new@partner.test", group, channel));

        var first = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));
        context.AttemptNumber = 2;
        var second = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context));
        context.AttemptNumber = 3;
        var result = await h.AddAsync(context);

        Assert.True(first.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(30), first.RetryAfter);
        Assert.Contains("Invited new@partner.test", first.Message, StringComparison.Ordinal);
        Assert.True(second.IsRetryable);
        Assert.Contains("has not accepted", second.Message, StringComparison.Ordinal);

        var invitation = Assert.Single(h.Simulator.Invitations);
        Assert.Equal("new@partner.test", invitation.Email);
        Assert.Equal([channel], invitation.ChannelIds);
        Assert.Equal("Ada Lovelace", invitation.RealName);
        var output = SlackHarness.Output<AddUserToSlackGroupOutput>(result);
        Assert.True(output.InvitedToWorkspace);
        Assert.Equal([a, output.SlackUserId], h.Simulator.GetUserGroupMembers(group));
        Assert.All(h.Simulator.Calls.Where(c => c.Method == "admin.users.invite"), c => Assert.True(c.UsedAuthorizationHeader));
    }

    [Fact]
    public async Task ExecuteAsync_InvitationNeverAccepted_FailsPermanentlyAfterBudgetWithoutReinviting()
    {
        await using var h = await SlackHarness.StartAsync(
            (o, sim) => { o.AccountWaitAttempts = 2; o.InviteChannelIds = sim.CreateChannel("general"); }, withAdminToken: true);
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        h.Simulator.InvitationAcceptedAfterLookups = 100;
        var context = h.Context(SlackHarness.Input("slow@partner.test", group));

        var errors = new List<StepException>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            context.AttemptNumber = attempt;
            errors.Add(await Assert.ThrowsAsync<StepException>(() => h.AddAsync(context)));
        }

        Assert.Equal([true, true, false, true], errors.Select(e => e.IsRetryable));
        Assert.Contains("ask them to accept the invitation, then retry this step", errors[2].Message, StringComparison.Ordinal);
        Assert.Single(h.Simulator.Invitations);
    }

    [Fact]
    public async Task ExecuteAsync_NoAccountAndNoInviteChannel_FailsPermanentlyNamingTheSetting()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("new@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("HyOpps:Slack:InviteChannelIds", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.Invitations);
    }

    [Fact]
    public async Task ExecuteAsync_InvitationOutsideEnterpriseGrid_FailsPermanently()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        h.Simulator.EnterpriseGrid = false;
        var group = h.Simulator.CreateUserGroup("acme-partners", h.Simulator.AddUser("a@acme.test"));
        var channel = h.Simulator.CreateChannel("acme");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("new@partner.test", group, channel)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("Enterprise Grid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_RevokedToken_FailsPermanentlyAsUnauthorized()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.RevokeToken(h.Simulator.BotToken);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", "S1")));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("token_revoked", ex.Message, StringComparison.Ordinal);
    }
}
