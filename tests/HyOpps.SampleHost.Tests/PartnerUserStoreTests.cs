using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Testing.Steps;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.SampleHost.Tests;

/// <summary>The user store on a real SQLite file of its own.</summary>
public sealed class PartnerUserStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddForOnboarding_RemovedPersonAddedAgain_ForgetsTheAccountsOfTheEarlierOnboarding()
    {
        using var file = new TestDatabase();
        var database = new SampleDatabase(file.Path);
        await database.MigrateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var orgs = new OrgStore(database, time);
        var users = new PartnerUserStore(database, time);
        Assert.NotNull(await orgs.CreateAsync(new OrgRecord { Id = "org-a", Name = "Org A" }, Ct));
        var first = await users.AddForOnboardingAsync("org-a", "Ada@A.example", "ada@a.example", "Ada", "Lovelace", Ct);
        Assert.NotNull(first);
        Assert.NotNull(await users.EnsureOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", "onboarding-1", Ct));
        await users.RecordAccountsAsync("org-a", "ada@a.example", "onboarding-1", new RecordedAccounts
        {
            Metabase = new RecordedAccount { Id = "41", CreatedByHyOpps = true },
            Slack = new RecordedAccount { Id = "U041", CreatedByHyOpps = false },
        }, Ct);
        await users.SetStatusAsync("org-a", "ada@a.example", PartnerUserStatus.Removed, Ct);

        var again = await users.AddForOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", Ct);

        Assert.NotNull(again);
        Assert.Equal(2, again.Generation);
        var stored = await users.GetAsync(first.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(PartnerUserStatus.Onboarding, stored.Status);
        Assert.Null(stored.MetabaseUserId);
        Assert.Null(stored.SlackUserId);
        Assert.False(stored.MetabaseCreated);
        Assert.Equal(new RecordedAccounts(), stored.ToRecordedAccounts());
    }

    [Fact]
    public async Task LateStepsOfACancelledOnboarding_AfterTheRemoval_LeaveTheRecordRemoved()
    {
        using var file = new TestDatabase();
        var database = new SampleDatabase(file.Path);
        await database.MigrateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var users = new PartnerUserStore(database, time);
        Assert.NotNull(await new OrgStore(database, time).CreateAsync(new OrgRecord { Id = "org-a", Name = "Org A" }, Ct));
        var user = await users.AddForOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", Ct);
        Assert.NotNull(user);
        Assert.NotNull(await users.EnsureOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", "onboarding-1", Ct));
        await users.SetStatusAsync("org-a", "ada@a.example", PartnerUserStatus.Removed, Ct);

        // Steps of the cancelled onboarding that were still running when the removal finished.
        var late = await users.EnsureOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", "onboarding-1", Ct);
        await users.RecordAccountsAsync("org-a", "ada@a.example", "other-execution", new RecordedAccounts { Slack = new RecordedAccount { Id = "U9" } }, Ct);
        var completed = await users.CompleteOnboardingAsync("org-a", "ada@a.example", "onboarding-1", Ct);

        Assert.Null(late);
        Assert.False(completed);
        var stored = await users.GetAsync(user.Id, Ct);
        Assert.NotNull(stored);
        Assert.Equal(PartnerUserStatus.Removed, stored.Status);
        Assert.Equal(1, stored.Generation);
        Assert.Null(stored.SlackUserId);
    }

    [Fact]
    public async Task CreatePartnerUserStep_RecordOwnedByAnotherOnboarding_FailsPermanentlyNamingIt()
    {
        using var file = new TestDatabase();
        var database = new SampleDatabase(file.Path);
        await database.MigrateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var users = new PartnerUserStore(database, time);
        Assert.NotNull(await new OrgStore(database, time).CreateAsync(new OrgRecord { Id = "org-a", Name = "Org A" }, Ct));
        Assert.NotNull(await users.EnsureOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", "onboarding-1", Ct));
        var input = new PartnerOnboardingInput
        {
            Org = new PartnerOrg { Id = "org-a", Name = "Org A" },
            User = new PartnerUser { Email = "Ada@A.example", FirstName = "Ada", LastName = "Lovelace" },
        };
        using var services = new ServiceCollection().BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await new CreatePartnerUserStep(users).ExecuteAsync(new TestStepContext(input, services), Ct));

        Assert.False(ex.IsRetryable);
        Assert.Contains("onboarding-1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("onboarding-1", (await users.FindAsync("org-a", "ada@a.example", Ct))!.OnboardingExecutionId);
    }
}
