using HyOpps.Testing.Slack;
using HyOpps.TestUtilities;
using HyOpps.TestUtilities.Postgres;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static HyOpps.Storage.Postgres.Tests.PostgresTestData;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>Several host processes on one PostgreSQL database: sharing, a killed host, a paused host, a database restart, a shared Slack group.</summary>
/// <remarks>The tests of this class run one after another (one class, one collection), each on its own database.</remarks>
public sealed class MultiHostTests(PostgresFixture postgres)
{
    private const int Steps = 10;
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    [Fact]
    public async Task ThreeHosts_2000Executions_EveryStepAttemptRunsOnceAndNoneIsLost()
    {
        const int executions = 2000;
        var connectionString = await postgres.CreateDatabaseAsync();
        using var journals = new Journals();
        await using var client = await Client.StartAsync(connectionString);
        var hosts = await StartHostsAsync(connectionString, journals, count: 3, stepDelayMs: 0, leaseMs: 30_000);
        try
        {
            await client.StartManyAsync(executions);
            await WaitAllSucceededAsync(connectionString, executions, TimeSpan.FromMinutes(4));

            var runs = journals.Read();
            Assert.Equal(executions * Steps, runs.Count);
            Assert.Equal(executions * Steps, runs.Select(r => (r.Execution, r.Step)).Distinct().Count());
            Assert.All(hosts.Select((_, i) => $"host{i}"), worker => Assert.Contains(runs, r => r.Worker == worker));
            await AssertConsistentAsync(connectionString, runs, executions);
        }
        finally
        {
            await StopAllAsync(hosts);
        }
    }

    [Fact]
    public async Task HostKilledMidRun_ItsExecutionsFinishOnTheOthersAfterItsLeasesExpire()
    {
        const int executions = 300;
        var connectionString = await postgres.CreateDatabaseAsync();
        using var journals = new Journals();
        await using var client = await Client.StartAsync(connectionString);
        var hosts = await StartHostsAsync(connectionString, journals, count: 3, stepDelayMs: 20, leaseMs: 2_000);
        try
        {
            await client.StartManyAsync(executions);
            await Eventually.UntilAsync(() => Task.FromResult(journals.Read().Count(r => r.Worker == "host0")), n => n >= 20, "host0 to run steps");
            hosts[0].Signal(SigKill);
            await WaitAllSucceededAsync(connectionString, executions, TimeSpan.FromMinutes(3));

            var runs = journals.Read();
            await AssertConsistentAsync(connectionString, runs, executions);

            // Only the steps the killed host had in flight ran again, each once, on another host.
            var again = runs.GroupBy(r => (r.Execution, r.Step)).Where(g => g.Count() > 1).ToArray();
            Assert.NotEmpty(again);
            Assert.True(again.Length <= 8, $"{again.Length} steps ran twice; the killed host ran at most 8 at once");
            Assert.All(again, g => Assert.Equal((2, 1), (g.Count(), g.Count(r => r.Worker == "host0"))));
            var committed = await CommittedOutputsAsync(connectionString);
            Assert.All(again, g => Assert.Equal(g.Single(r => r.Worker != "host0").Nonce, committed[g.Key]));
        }
        finally
        {
            await StopAllAsync(hosts);
        }
    }

    [Fact]
    public async Task HostPausedPastItsLease_ThenResumed_CommitsNothingStale()
    {
        const int executions = 100;
        var connectionString = await postgres.CreateDatabaseAsync();
        using var journals = new Journals();
        await using var client = await Client.StartAsync(connectionString);
        var hosts = await StartHostsAsync(connectionString, journals, count: 3, stepDelayMs: 200, leaseMs: 2_000);
        try
        {
            await client.StartManyAsync(executions);
            await Eventually.UntilAsync(() => Task.FromResult(journals.Read().Count(r => r.Worker == "host0")), n => n >= 5, "host0 to run steps");
            hosts[0].Signal(SigStop);
            var beforePause = journals.Read().Where(r => r.Worker == "host0").ToHashSet();

            // The others take over once host0's leases expire, and finish everything while it is frozen.
            await WaitAllSucceededAsync(connectionString, executions, TimeSpan.FromMinutes(3));
            hosts[0].Signal(SigCont);

            // Resumed, host0 finishes the step bodies it was in, tries to commit them and is refused; stopping it
            // gracefully waits for those attempts to end.
            await hosts[0].StopAsync();

            // A start host0 committed just before it froze may reach it only after it resumes: that step body then begins
            // late (at most one per slot), and its commit is refused like the others.
            var runs = journals.Read();
            var late = runs.Where(r => r.Worker == "host0" && !beforePause.Contains(r)).ToArray();
            Assert.InRange(late.Length, 0, 8);
            await AssertConsistentAsync(connectionString, runs, executions);

            // Steps host0 was in when frozen ran again elsewhere, and the other host's run is the one committed.
            var stolen = beforePause.Where(p => runs.Any(r => r.Execution == p.Execution && r.Step == p.Step && r.Worker != "host0")).ToArray();
            Assert.NotEmpty(stolen);
            var committed = await CommittedOutputsAsync(connectionString);
            Assert.All(stolen, p => Assert.NotEqual(p.Nonce, committed[(p.Execution, p.Step)]));
            Assert.All(late, p => Assert.NotEqual(p.Nonce, committed[(p.Execution, p.Step)]));
            Assert.Contains("lease was lost", hosts[0].Output, StringComparison.Ordinal);
        }
        finally
        {
            await StopAllAsync(hosts);
        }
    }

    [Fact]
    public async Task DatabaseRestartedMidRun_HostsReconnectAndEveryExecutionFinishes()
    {
        const int executions = 300;

        // A cluster of this test's own: restarting the shared one would disturb the tests running beside it.
        // (The fixture's database is not used; asking for it skips the test where PostgreSQL is not installed.)
        await postgres.CreateDatabaseAsync();
        await using var cluster = await PostgresCluster.StartAsync(cancellationToken: Ct);
        var connectionString = await cluster.CreateDatabaseAsync(Ct);
        using var journals = new Journals();
        await using var client = await Client.StartAsync(connectionString);
        var hosts = await StartHostsAsync(connectionString, journals, count: 3, stepDelayMs: 10, leaseMs: 3_000);
        try
        {
            await client.StartManyAsync(executions);
            await Eventually.UntilAsync(() => Task.FromResult(journals.Read().Count), n => n >= executions * Steps / 4, "a quarter of the steps to run");
            await cluster.RestartAsync(Ct);
            Assert.InRange(journals.Read().Count, executions * Steps / 4, executions * Steps - 1);

            await WaitAllSucceededAsync(connectionString, executions, TimeSpan.FromMinutes(3));
            await AssertConsistentAsync(connectionString, journals.Read(), executions);
            Assert.All(hosts, h => Assert.False(h.HasExited, h.Output));
        }
        finally
        {
            await StopAllAsync(hosts);
        }
    }

    [Fact]
    public async Task ThreeHosts_OnboardTwentyPeopleIntoOneSlackGroup_NobodyIsLost()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var slack = new SlackSimulator();
        await slack.StartAsync(Ct);
        var earlier = new[] { slack.AddUser("old1@partner.test"), slack.AddUser("old2@partner.test"), slack.AddUser("old3@partner.test") };
        var group = slack.CreateUserGroup("partners", earlier);
        var people = Enumerable.Range(0, 20).Select(i => $"person{i}@partner.test").ToArray();
        var ids = people.Select(p => slack.AddUser(p)).ToArray();

        // Every write of the member list is slow, so that writes based on one read would overlap and lose people.
        slack.BeforeMethod = (method, cancellationToken) => method == "usergroups.users.update"
            ? new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken))
            : ValueTask.CompletedTask;

        await using var client = await Client.StartAsync(connectionString, slackWorkflow: true);
        var hosts = new List<ChildHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts.Add(await ChildHost.StartAsync("slack", connectionString, slack.ApiBaseAddress.ToString(), slack.BotToken, $"slack{i}"));
            }

            // The Slack step's own input (AddUserToSlackGroupInput), as the host maps no other.
            var started = await Task.WhenAll(people.Select(email => client.Workflows.StartAsync("slack",
                new { Email = email, DisplayName = "P Q", UserGroupId = group }, cancellationToken: Ct)));
            await WaitAllSucceededAsync(connectionString, people.Length, TimeSpan.FromMinutes(3));

            Assert.Equal(earlier.Concat(ids).Order(StringComparer.Ordinal), slack.GetUserGroupMembers(group).Order(StringComparer.Ordinal));
            var workers = await ScalarsAsync(connectionString, "SELECT DISTINCT worker_id FROM hyopps.attempts WHERE outcome = 'succeeded'");
            Assert.True(workers.Count > 1, "the onboardings ran on one host only");
        }
        finally
        {
            await StopAllAsync(hosts);
        }
    }

    private static async Task<List<ChildHost>> StartHostsAsync(string connectionString, Journals journals, int count, int stepDelayMs, int leaseMs)
    {
        var hosts = new List<ChildHost>();
        for (var i = 0; i < count; i++)
        {
            hosts.Add(await ChildHost.StartAsync("steps", connectionString, journals.PathOf($"host{i}"), $"host{i}",
                stepDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture), leaseMs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return hosts;
    }

    private static async Task StopAllAsync(IEnumerable<ChildHost> hosts)
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }

    private static async Task WaitAllSucceededAsync(string connectionString, int executions, TimeSpan timeout)
        => await Eventually.UntilAsync(
            async () => (await ScalarsAsync(connectionString, "SELECT count(*) FROM hyopps.executions WHERE status = 'succeeded'")).Cast<long>().Single(),
            n => n == executions,
            $"all {executions} executions to succeed",
            timeout);

    /// <summary>Every execution succeeded through every step; each step has exactly one succeeded attempt, whose output is the step's, from a run in the journals.</summary>
    private static async Task AssertConsistentAsync(string connectionString, IReadOnlyList<Run> runs, int executions)
    {
        Assert.Equal([(long)executions], await ScalarsAsync(connectionString, "SELECT count(*) FROM hyopps.executions WHERE status = 'succeeded' AND current_step = 10 AND lease_owner IS NULL"));
        Assert.Equal([(long)executions * Steps], await ScalarsAsync(connectionString, "SELECT count(*) FROM hyopps.steps WHERE status = 'succeeded'"));
        Assert.Equal([0L], await ScalarsAsync(connectionString, "SELECT count(*) FROM hyopps.attempts WHERE outcome = 'running'"));
        Assert.Equal([0L], await ScalarsAsync(connectionString,
            "SELECT count(*) FROM (SELECT execution_id, step_idx FROM hyopps.attempts WHERE outcome = 'succeeded' GROUP BY 1, 2 HAVING count(*) <> 1) twice"));
        Assert.Equal([0L], await ScalarsAsync(connectionString,
            "SELECT count(*) FROM hyopps.steps s LEFT JOIN hyopps.attempts a ON a.execution_id = s.execution_id AND a.step_idx = s.idx AND a.outcome = 'succeeded' " +
            "WHERE a.output IS DISTINCT FROM s.output"));
        var journaled = runs.Select(r => (r.Execution, r.Step, r.Nonce)).ToHashSet();
        var committed = await CommittedOutputsAsync(connectionString);
        Assert.Equal(executions * Steps, committed.Count);
        Assert.All(committed, c => Assert.Contains((c.Key.Execution, c.Key.Step, c.Value), journaled));
    }

    private static async Task<Dictionary<(string Execution, string Step), string>> CommittedOutputsAsync(string connectionString)
    {
        var outputs = new Dictionary<(string, string), string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT execution_id, step_id, output::jsonb ->> 'nonce' FROM hyopps.steps", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            outputs[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return outputs;
    }

    private sealed record Run(string Execution, string Step, string Nonce, string Worker);

    /// <summary>One journal file per host, in a folder deleted at the end.</summary>
    private sealed class Journals : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("hyopps-journals-").FullName;

        public string PathOf(string worker) => Path.Combine(_folder, worker + ".journal");

        public List<Run> Read()
        {
            var runs = new List<Run>();
            foreach (var file in Directory.GetFiles(_folder))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                while (reader.ReadLine() is { } line)
                {
                    // A line still being written has fewer than four parts; it is read complete next time.
                    if (line.Split(' ') is [var execution, var step, var nonce, var worker])
                    {
                        runs.Add(new Run(execution, step, nonce, worker));
                    }
                }
            }

            return runs;
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A client-only host (no worker) that starts executions; the child hosts run them.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly IHost _host;

        private Client(IHost host)
        {
            _host = host;
        }

        public IWorkflowClient Workflows => _host.Services.GetRequiredService<IWorkflowClient>();

        public static async Task<Client> StartAsync(string connectionString, bool slackWorkflow = false)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            var hyopps = builder.Services.AddHyOpps(o => o.RunWorker = false).UsePostgres(connectionString);

            // The same workflow names and step ids as the child hosts; only they run the steps.
            if (slackWorkflow)
            {
                hyopps.AddWorkflow("slack", wf => wf.Step("add_user_to_slack_group", (_, _) => throw new InvalidOperationException("runs in a child host")));
            }
            else
            {
                hyopps.AddWorkflow("multi", wf =>
                {
                    for (var i = 0; i < Steps; i++)
                    {
                        wf.Step($"s{i}", (_, _) => throw new InvalidOperationException("runs in a child host"));
                    }
                });
            }

            var host = builder.Build();
            await host.StartAsync(Ct);
            return new Client(host);
        }

        public async Task StartManyAsync(int count)
        {
            for (var i = 0; i < count; i += 100)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(100, count - i))
                    .Select(n => Workflows.StartJsonAsync("multi", $"{{\"n\":{n}}}", new StartExecutionOptions { IdempotencyKey = $"item-{n}" }, Ct)));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync(CancellationToken.None);
            _host.Dispose();
        }
    }
}
