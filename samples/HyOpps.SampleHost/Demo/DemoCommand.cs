using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HyOpps.SampleHost.Demo;

/// <summary>
/// `dotnet run -- demo`: starts the host in sandbox mode on 127.0.0.1, onboards a person through the API with the sandbox admin's
/// API key, prints every step, then checks in the simulators that the person really is everywhere. Exit code 0 only if all holds.
/// </summary>
public static class DemoCommand
{
    /// <summary>The longest the demo waits for the onboarding to settle.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var ct = timeout.Token;
        WebApplication? app = null;
        try
        {
            app = await SampleHostApp.BuildAsync(args, builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["HyOpps:Sandbox"] = "true",
                    ["urls"] = "http://127.0.0.1:0",
                });
                builder.Logging.ClearProviders();
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
                builder.Logging.AddFilter(level => level >= LogLevel.Error);
                builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }, ct);
            await app.StartAsync(ct);
            var sandbox = app.Services.GetRequiredService<SandboxEnvironment>();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await output.WriteLineAsync($"HyOpps sample host in sandbox mode at {address}: Metabase, Microsoft Graph, Slack, Atlassian and SMTP are in-process simulators on 127.0.0.1.");

            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", SandboxAccounts.AdminApiKey);
            var orgs = await http.GetFromJsonAsync<List<OrgResponse>>("/api/orgs", Json, ct) ?? [];
            var org = orgs.Single(o => o.Name == SandboxAccounts.DemoOrgName);
            await output.WriteLineAsync($"Demo org '{org.Name}' ({org.Id}).");

            var person = new AddUserRequest(org.Id, "ada.lovelace@demo-partner.example", "Ada", "Lovelace");
            using var added = await http.PostAsJsonAsync("/api/users", person, Json, ct);
            if (!added.IsSuccessStatusCode)
            {
                return await FailAsync(output, $"POST /api/users answered {(int)added.StatusCode}: {await added.Content.ReadAsStringAsync(ct)}");
            }

            var started = (await added.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, ct))!;
            await output.WriteLineAsync($"Onboarding {person.Email}: {PartnerWorkflowNames.NewPartnerUser} execution {started.ExecutionId}.");

            ExecutionDetailResponse execution;
            while (true)
            {
                execution = (await http.GetFromJsonAsync<ExecutionDetailResponse>($"/api/executions/{started.ExecutionId}", Json, ct))!;
                if (execution.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.WaitingForApproval)
                {
                    break;
                }

                await Task.Delay(100, ct);
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync(FormatTable(execution));
            if (execution.Status != ExecutionStatus.Succeeded)
            {
                return await FailAsync(output, $"The execution ended {execution.Status}: {execution.Error}");
            }

            var user = (await http.GetFromJsonAsync<UserResponse>($"/api/users/{started.User.Id}", Json, ct))!;
            var checks = Verify(sandbox, org, user, execution);
            await output.WriteLineAsync("Checks in the simulators:");
            foreach (var (ok, text) in checks)
            {
                await output.WriteLineAsync($"  [{(ok ? "ok" : "FAILED")}] {text}");
            }

            if (checks.Any(c => !c.Ok))
            {
                return await FailAsync(output, "Some checks failed.");
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Demo passed: {user.Email} is {user.Status} (metabase_user_id {Show(user.MetabaseUserId)}, teams_user_id {Show(user.TeamsUserId)}, slack_user_id {Show(user.SlackUserId)}, atlassian_account_id {Show(user.AtlassianAccountId)}).");
            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(output, $"Timed out after {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await FailAsync(output, ex.Message);
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }
        }
    }

    internal static List<(bool Ok, string Text)> Verify(SandboxEnvironment sandbox, OrgResponse org, UserResponse user, ExecutionDetailResponse execution)
    {
        var checks = new List<(bool, string)>();
        var email = user.Email;
        var metabaseUser = sandbox.Metabase.FindUserByEmail(email);
        checks.Add((metabaseUser is not null && metabaseUser.IsActive && org.MetabaseGroupId is { } group && sandbox.Metabase.GetGroupIdsOfUser(metabaseUser.Id).Contains(group)
            && user.MetabaseUserId == metabaseUser.Id,
            $"Metabase: {email} (user {Show(metabaseUser?.Id)}, the host's metabase_user_id {Show(user.MetabaseUserId)}) is active and in group {Show(org.MetabaseGroupId)}"));
        var guest = sandbox.Graph.FindUserByEmail(email);
        checks.Add((guest is not null && org.TeamsTeamId is not null && sandbox.Graph.GetTeamMembers(org.TeamsTeamId).Any(m => m.UserId == guest.Id),
            $"Teams: guest {email} ({Show(guest?.Id)}) is a member of team {org.TeamsTeamId}"));
        if (org.TeamsChannelId is not null)
        {
            checks.Add((guest is not null && sandbox.Graph.GetChannelMembers(org.TeamsTeamId!, org.TeamsChannelId).Any(m => m.UserId == guest.Id),
                $"Teams: {email} is a member of channel {org.TeamsChannelId}"));
        }

        var slackId = sandbox.Slack.FindUserId(email);
        checks.Add((slackId is not null && org.SlackUserGroupId is not null && sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId).Contains(slackId),
            $"Slack: {email} ({Show(slackId)}) is in user group {org.SlackUserGroupId}"));
        var account = sandbox.Atlassian.FindAccount(email);
        checks.Add((account is not null && org.AtlassianGroupId is not null && sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId).Contains(account.AccountId),
            $"Atlassian: {email} ({Show(account?.AccountId)}) is in group {org.AtlassianGroupId}"));
        var mail = sandbox.Smtp.Messages.FirstOrDefault(m => m.EnvelopeRecipients.Contains(email, StringComparer.OrdinalIgnoreCase));
        checks.Add((mail is not null && org.DocumentationLinks.All(l => mail.HtmlBody?.Contains(l.Url, StringComparison.Ordinal) == true),
            $"Email: the documentation email reached {email} (subject '{mail?.Subject}') with every documentation link"));
        checks.Add((execution.Steps.All(s => s.Status == StepStatus.Succeeded), $"Workflow: all {execution.Steps.Count} steps succeeded"));
        checks.Add((user.Status == "active", $"Host: the user record is active (was {user.Status})"));
        return checks;
    }

    internal static string FormatTable(ExecutionDetailResponse execution)
    {
        var rows = execution.Steps.Select(s => new[]
        {
            s.Number.ToString(CultureInfo.InvariantCulture),
            s.Id,
            s.Status.ToString(),
            s.Attempts.Count.ToString(CultureInfo.InvariantCulture),
            s.DurationMs is { } ms ? $"{ms:0} ms" : "-",
            s.Output is { } o ? JsonSerializer.Serialize(o) : s.Error ?? string.Empty,
        }).ToList();
        string[] header = ["#", "step", "status", "attempts", "duration", "output"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        widths[^1] = header[^1].Length;
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
            }

            text.AppendLine();
        }

        Line(header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        rows.ForEach(Line);
        text.Append(CultureInfo.InvariantCulture, $"{execution.WorkflowName} {execution.Id}: {execution.Status}");
        return text.ToString();
    }

    private static string Show(object? value) => value?.ToString() ?? "none";

    private static async Task<int> FailAsync(TextWriter output, string reason)
    {
        await output.WriteLineAsync($"Demo FAILED: {reason}");
        return 1;
    }
}
