using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.TestUtilities;
using HyOpps.TestUtilities.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.SampleHost.Tests;

/// <summary>Deleting an org: the checks (users, accounts, executions under way) and the delete are one transaction, on both stores.</summary>
public abstract class OrgDeletionTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_OrgWithUsersAccountsOrExecutions_SaysWhichAndKeepsIt()
    {
        await using var database = await OpenAsync();
        var orgs = new OrgStore(database, Time);
        var users = new PartnerUserStore(database, Time);
        await orgs.CreateAsync(new OrgRecord { Id = "org-a", Name = "Org A" }, Ct);
        await users.AddForOnboardingAsync("org-a", "ada@a.example", "ada@a.example", "Ada", "Lovelace", Ct);

        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.HasUsers, 1), await orgs.DeleteAsync("org-a", None, Ct));

        await users.SetStatusAsync("org-a", "ada@a.example", PartnerUserStatus.Removed, Ct);
        var account = await new AccountStore(database, Time).CreateAsync("partner-a", "a-long-test-password", Roles.PartnerAdmin, "org-a", Ct);
        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.HasAccounts, 1), await orgs.DeleteAsync("org-a", None, Ct));

        await new AccountStore(database, Time).DeleteAsync(account!.Id, Ct);
        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.HasExecutionsUnderWay, 2), await orgs.DeleteAsync("org-a", _ => Task.FromResult(2), Ct));
        Assert.NotNull(await orgs.GetAsync("org-a", Ct));

        // Only a removed user's record is left: it goes with the org.
        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.Deleted), await orgs.DeleteAsync("org-a", None, Ct));
        Assert.Null(await orgs.GetAsync("org-a", Ct));
        Assert.Empty(await users.ListAsync("org-a", null, Ct));
        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.NotFound), await orgs.DeleteAsync("org-a", None, Ct));
    }

    [Fact]
    public async Task Delete_WhileAnotherTransactionAddsAUser_WaitsForItAndRefuses()
    {
        await using var database = await OpenAsync();
        var orgs = new OrgStore(database, Time);
        await orgs.CreateAsync(new OrgRecord { Id = "org-b", Name = "Org B" }, Ct);
        await using var adding = await database.OpenAsync(Ct);
        await using var transaction = await adding.BeginTransactionAsync(Ct);
        await using (var insert = adding.Command("""
            INSERT INTO partner_users (id, org_id, email, normalized_email, first_name, last_name, status, generation, created_at, updated_at)
            VALUES ('user-1', 'org-b', 'bo@b.example', 'bo@b.example', 'Bo', 'Berg', 'onboarding', 1, '2026-12-01T09:00:00Z', '2026-12-01T09:00:00Z')
            """, transaction))
        {
            await insert.ExecuteNonQueryAsync(Ct);
        }

        // The delete's checks run while the insert is not committed yet: they must wait for it rather than miss it. (On its own
        // thread: Microsoft.Data.Sqlite waits for a lock synchronously.)
        var deleting = Task.Run(() => orgs.DeleteAsync("org-b", None, Ct), Ct);
        await WaitUntilBlockedAsync(database);
        Assert.False(deleting.IsCompleted);
        await transaction.CommitAsync(Ct);

        Assert.Equal(new OrgDeletion(OrgDeletionOutcome.HasUsers, 1), await deleting.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.NotNull(await orgs.GetAsync("org-b", Ct));
    }

    protected abstract Task<SampleDatabase> CreateDatabaseAsync();

    /// <summary>Returns once the delete waits on the uncommitted insert's locks.</summary>
    protected abstract Task WaitUntilBlockedAsync(SampleDatabase database);

    private static Task<int> None(CancellationToken cancellationToken) => Task.FromResult(0);

    private async Task<SampleDatabase> OpenAsync()
    {
        var database = await CreateDatabaseAsync();
        await database.MigrateAsync(Ct);
        return database;
    }
}

public sealed class SqliteOrgDeletionTests : OrgDeletionTests, IDisposable
{
    private readonly TestDatabase _file = new();

    public void Dispose() => _file.Dispose();

    protected override Task<SampleDatabase> CreateDatabaseAsync() => Task.FromResult(new SampleDatabase(_file.Path));

    // The insert's transaction began immediate and holds the write lock: the delete's own immediate begin waits on it (busy
    // timeout), and there is no view of waiters to watch, so a short grace stands in for one.
    protected override Task WaitUntilBlockedAsync(SampleDatabase database) => Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken);
}

public sealed class PostgresOrgDeletionTests(PostgresFixture postgres) : OrgDeletionTests, IClassFixture<PostgresFixture>
{
    protected override async Task<SampleDatabase> CreateDatabaseAsync() => SampleDatabase.Postgres(await postgres.CreateDatabaseAsync());

    protected override async Task WaitUntilBlockedAsync(SampleDatabase database)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await using var connection = await database.OpenAsync(timeout.Token);
        while (true)
        {
            await using var command = connection.Command("SELECT COUNT(*) FROM pg_locks WHERE NOT granted");
            if (Convert.ToInt64(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
