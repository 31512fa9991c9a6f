using System.Text;
using System.Text.Json;
using HyOpps.SampleHost.Data;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.SampleHost.Tests;

/// <summary>
/// What a refused request must not change: every row of the host's own tables, every execution (status, steps, audit) in
/// the runtime's store, and the simulators' users, groups, members, invitations and mail.
/// </summary>
internal static class HostState
{
    public static async Task<string> CaptureAsync(SampleTestHost host)
    {
        var state = new StringBuilder();
        await using (var connection = await host.Services.GetRequiredService<SampleDatabase>().OpenAsync(SampleTestHost.Ct))
        {
            // Sign-in bookkeeping (failure counts, lockouts) is not "data written by the request" in the sense of these tests.
            foreach (var query in new[]
            {
                "SELECT * FROM orgs ORDER BY id",
                "SELECT * FROM partner_users ORDER BY id",
                "SELECT id, user_name, password_hash, role, org_id, security_stamp FROM accounts ORDER BY id",
                "SELECT * FROM api_keys ORDER BY id",
            })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = query;
                await using var reader = await command.ExecuteReaderAsync(SampleTestHost.Ct);
                while (await reader.ReadAsync(SampleTestHost.Ct))
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        state.Append(reader.IsDBNull(i) ? "null" : reader.GetValue(i)).Append('|');
                    }

                    state.AppendLine();
                }
            }
        }

        var list = await host.Workflows.ListAsync(new ExecutionQuery { Limit = 500 }, SampleTestHost.Ct);
        foreach (var summary in list.Items.OrderBy(e => e.Id, StringComparer.Ordinal))
        {
            var detail = (await host.Workflows.GetAsync(summary.Id, SampleTestHost.Ct))!;
            state.Append($"{detail.Id} {detail.Status} {detail.CurrentStepId} audit={detail.Audit.Count}");
            foreach (var step in detail.Steps)
            {
                state.Append($" {step.Id}:{step.Status}:{step.Run}:{step.Attempts.Count}");
            }

            state.AppendLine();
        }

        var sandbox = host.Sandbox;
        state.AppendLine(JsonSerializer.Serialize(sandbox.Metabase.GetUsers()));
        state.AppendLine(JsonSerializer.Serialize(sandbox.Metabase.GetGroups()));
        state.AppendLine(JsonSerializer.Serialize(sandbox.Graph.GetUsers()));
        state.AppendLine(JsonSerializer.Serialize(sandbox.Graph.GetInvitations()));
        foreach (var org in await host.Services.GetRequiredService<OrgStore>().ListAsync(null, SampleTestHost.Ct))
        {
            if (org.SlackUserGroupId is { } slack)
            {
                state.AppendLine(string.Join(',', sandbox.Slack.GetUserGroupMembers(slack)));
            }

            if (org.AtlassianGroupId is { } atlassian)
            {
                state.AppendLine(string.Join(',', sandbox.Atlassian.GetGroupMembers(atlassian)));
            }

            if (org.TeamsTeamId is { } team)
            {
                state.AppendLine(JsonSerializer.Serialize(sandbox.Graph.GetTeamMembers(team)));
            }
        }

        state.AppendLine($"mail={sandbox.Smtp.Messages.Count}");
        return state.ToString();
    }
}
