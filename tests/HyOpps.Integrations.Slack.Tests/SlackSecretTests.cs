using System.Text.Json;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackSecretTests
{
    [Fact]
    public async Task ExecuteAsync_SuccessRetriesAndFailures_TokensNeverInLogsOutputsOrExceptions()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        var sim = h.Simulator;
        var group = sim.CreateUserGroup("acme-partners", sim.AddUser("a@acme.test"));
        sim.AddUser("ada@partner.test");
        var channel = sim.CreateChannel("acme");
        sim.InjectRateLimit("usergroups.users.update", TimeSpan.Zero);
        sim.SimulateError("usergroups.users.list", "internal_error");

        var texts = new List<string>();
        var failed = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group, channel)));
        texts.Add(failed.ToString());
        var result = await h.AddAsync(SlackHarness.Input("ada@partner.test", group, channel));
        texts.Add(result.Output!.ToJsonString());

        // The admin token travels too: an invitation, then a wait.
        var invite = h.Context(SlackHarness.Input("new@partner.test", group, channel));
        texts.Add((await Assert.ThrowsAsync<StepException>(() => h.AddAsync(invite))).ToString());
        texts.AddRange(invite.SavedCheckpoints.Select(c => c.GetRawText()));

        // A rejected token is named by its setting, never by its value.
        sim.RevokeToken(sim.BotToken);
        texts.Add((await Assert.ThrowsAsync<StepException>(() => h.AddAsync(SlackHarness.Input("ada@partner.test", group)))).ToString());

        var logs = h.Logs.GetSnapshot();
        Assert.Contains(logs, r => r.Level == LogLevel.Trace || r.Level == LogLevel.Debug);
        texts.AddRange(logs.Select(Describe));
        foreach (var secret in new[] { sim.BotToken, sim.AdminToken })
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SendAsync_HostAddsDefaultHttpLoggingToEveryClient_TokenStillNotLogged()
    {
        await using var h = await SlackHarness.StartAsync(services: s => s.ConfigureHttpClientDefaults(b => b.AddDefaultLogger()));
        h.Simulator.AddUser("ada@partner.test");

        Assert.NotNull(await h.Client.LookupUserByEmailAsync("ada@partner.test", SlackHarness.Ct));

        var logs = h.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs.Select(Describe), text => Assert.DoesNotContain(h.Simulator.BotToken, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ServerEchoesTheRequest_TokenIsMaskedInTheMessage()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.MaxRetryAttempts = 0);
        h.Simulator.Faults.Add(HyOpps.Testing.Simulation.SimulatedFault.Status(400, $"Bad request: Authorization: Bearer {h.Simulator.BotToken}"));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.ListUserGroupMembersAsync("S1", SlackHarness.Ct));

        Assert.DoesNotContain(h.Simulator.BotToken, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bearer ***", ex.Message, StringComparison.Ordinal);
    }

    private static string Describe(FakeLogRecord record)
    {
        var state = record.StructuredState is { } pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
        var scopes = string.Join(";", record.Scopes.Select(s => s is null ? string.Empty : JsonSerializer.Serialize(s.ToString())));
        return $"{record.Category}|{record.Message}|{state}|{scopes}|{record.Exception}";
    }
}
