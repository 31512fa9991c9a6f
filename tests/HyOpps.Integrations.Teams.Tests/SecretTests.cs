using HyOpps.Integrations.Teams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class SecretTests
{
    [Fact]
    public async Task Onboarding_WithTraceLogging_NeverWritesSecretOrTokensToLogsOrOutputs()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId);
        var input = TeamsTestHost.Input(teamId, channelId);
        host.Graph.NewGuestInvisibleAttempts = 1;

        var invite = await host.InviteAsync(input);
        var context = host.AddContext(input, invite);
        var failure = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        context.AttemptNumber = 2;
        var add = await host.RunAsync<AddUserToTeamsChannelStep>(context);
        var remove = await host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(input, invite), RemoveUserFromTeamsStep.Id));

        var secrets = host.Graph.IssuedAccessTokens.Append(host.Graph.ClientSecret).ToList();
        Assert.True(secrets.Count >= 2, "a token was issued");
        var records = host.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Category == "HyOpps.Integrations.Teams.Internal.TeamsHttpClientLogger" && r.Message.Contains("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Category == "HyOpps.Integrations.Teams.Internal.TeamsHttpClientLogger" && r.Message.Contains("/v1.0/invitations answered 201", StringComparison.Ordinal));
        var texts = records.Select(Describe)
            .Concat([invite.Output!.ToJsonString(), add.Output!.ToJsonString(), remove.Output!.ToJsonString(), failure.ToString()])
            .Concat(context.SavedCheckpoints.Select(c => c.GetRawText()))
            .ToList();
        foreach (var secret in secrets)
        {
            var leaks = texts.Where(t => t.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, "Leaked: " + string.Join("\n----\n", leaks));
        }
    }

    private static string Describe(FakeLogRecord record)
        => string.Join(
            "\n",
            new[] { record.Message, record.Exception?.ToString() ?? string.Empty }
                .Concat(record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []));
}
