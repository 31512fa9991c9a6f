using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Testing.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HyOpps.SampleHost.Demo;

/// <summary>
/// `dotnet run -- demo`: starts the host in sandbox mode on 127.0.0.1, onboards a person through the API with the sandbox admin's
/// API key, narrates every step transition as it happens, then checks in the simulators that the person really is everywhere
/// and says where to look next. Exit code 0 only if all holds.
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

    /// <summary>Runs the demo, narrating to <paramref name="output"/>; with --json the narration goes to standard error.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
        => RunAsync(args, output, Console.Error, cancellationToken);

    /// <summary>
    /// Runs the demo. <c>--verbose</c> adds each step's full output JSON; <c>--json</c> writes only the final execution detail
    /// (the API's JSON) to <paramref name="output"/> and narrates to <paramref name="narration"/>. Other arguments configure the host.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter narration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(narration);
        var verbose = args.Contains("--verbose", StringComparer.OrdinalIgnoreCase);
        var json = args.Contains("--json", StringComparer.OrdinalIgnoreCase);
        var hostArgs = args.Where(a => !a.Equals("--verbose", StringComparison.OrdinalIgnoreCase) && !a.Equals("--json", StringComparison.OrdinalIgnoreCase)).ToArray();
        var say = json ? narration : output;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var ct = timeout.Token;
        WebApplication? app = null;
        try
        {
            app = await SampleHostApp.BuildAsync(hostArgs, builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["HyOpps:Sandbox"] = "true",
                    ["urls"] = "http://127.0.0.1:0",
                    // Category levels of appsettings.json would win over the filter below; the narration is the demo's output.
                    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
                    ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
                });
                builder.Logging.ClearProviders();
                builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
                builder.Logging.AddFilter(level => level >= LogLevel.Error);
                builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }, ct);
            await app.StartAsync(ct);
            var sandbox = app.Services.GetRequiredService<HyOppsSandbox>();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await WriteAsync(say, $"HyOpps sample host in sandbox mode at {address}: Metabase, Microsoft Graph, Slack, Atlassian and SMTP "
                + "are in-process simulators on 127.0.0.1; the data is in a temporary folder for this run.");

            using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", SandboxAccounts.AdminApiKey);
            var orgs = await http.GetFromJsonAsync<List<OrgResponse>>("/api/orgs", Json, ct) ?? [];
            var org = orgs.Single(o => o.Name == SandboxAccounts.DemoOrgName);

            var person = new AddUserRequest(org.Id, "ada.lovelace@demo-partner.example", "Ada", "Lovelace");
            using var added = await http.PostAsJsonAsync("/api/users", person, Json, ct);
            if (!added.IsSuccessStatusCode)
            {
                return await FailAsync(say, $"POST /api/users answered {(int)added.StatusCode}: {await added.Content.ReadAsStringAsync(ct)}");
            }

            var started = (await added.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, ct))!;
            await WriteAsync(say, $"Onboarding {person.Email} into '{org.Name}' ({org.Id}): {PartnerWorkflowNames.NewPartnerUser} execution {started.ExecutionId}.");
            await say.WriteLineAsync();

            var narrator = new DemoNarrator(verbose);
            string executionJson;
            ExecutionDetailResponse execution;
            while (true)
            {
                executionJson = await http.GetStringAsync($"/api/executions/{started.ExecutionId}", ct);
                execution = JsonSerializer.Deserialize<ExecutionDetailResponse>(executionJson, Json)!;
                foreach (var line in narrator.Observe(execution))
                {
                    await say.WriteLineAsync(line);
                }

                if (execution.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.WaitingForApproval)
                {
                    break;
                }

                // Polling the API, as any client of the host would; the narrator reads the recorded attempts, so nothing is missed.
                await Task.Delay(100, ct);
            }

            await say.WriteLineAsync();
            var retries = execution.Steps.Sum(s => Math.Max(0, s.Attempts.Count - 1));
            var took = execution.CompletedAt is { } done ? $" in {OutputSummary.Duration((done - execution.CreatedAt).TotalMilliseconds)}" : string.Empty;
            await WriteAsync(say, $"{execution.WorkflowName} {execution.Id}: {execution.Status.ToString().ToLowerInvariant()}{took}, "
                + $"{execution.Steps.Count} steps, {retries} retried attempt{(retries == 1 ? string.Empty : "s")}.");
            if (json)
            {
                await output.WriteLineAsync(executionJson);
            }

            if (execution.Status != ExecutionStatus.Succeeded)
            {
                return await FailAsync(say, $"The execution ended {execution.Status}: {execution.Error}");
            }

            var user = (await http.GetFromJsonAsync<UserResponse>($"/api/users/{started.User.Id}", Json, ct))!;
            var checks = Verify(sandbox, org, user, execution);
            await say.WriteLineAsync("Checks in the simulators:");
            foreach (var (ok, text) in checks)
            {
                await WriteAsync(say, text, $"  [{(ok ? "ok" : "FAILED")}] ");
            }

            if (checks.Any(c => !c.Ok))
            {
                return await FailAsync(say, "Some checks failed.");
            }

            await say.WriteLineAsync();
            await WriteAsync(say, $"Demo passed: {user.Email} is {user.Status} (metabase_user_id {Show(user.MetabaseUserId)}, teams_user_id {Show(user.TeamsUserId)}, "
                + $"slack_user_id {Show(user.SlackUserId)}, atlassian_account_id {Show(user.AtlassianAccountId)}).");
            await say.WriteLineAsync();
            foreach (var line in NextSteps(verbose, json))
            {
                await say.WriteLineAsync(line);
            }

            return 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(say, $"Timed out after {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await FailAsync(say, ex.Message);
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

    /// <summary>Where to look next: serving the host, its dashboard and API, and the sandbox accounts.</summary>
    internal static IEnumerable<string> NextSteps(bool verbose, bool json)
    {
        var url = SampleHostApp.DefaultUrl;
        string[] lines =
        [
            "Next:",
            "  Serve the host (sandbox mode, fresh data):  dotnet run --project samples/HyOpps.SampleHost",
            $"  Open the operator dashboard:                {url}/hyopps",
            $"  Sign in as {SandboxAccounts.AdminUserName} / {SandboxAccounts.AdminPassword} (every org) or "
                + $"{SandboxAccounts.PartnerAdminUserName} / {SandboxAccounts.PartnerAdminPassword} ('{SandboxAccounts.DemoOrgName}' only).",
            $"  Add a user on an org's page ({url}/orgs) to onboard them; watch it in /hyopps.",
            $"  Or script it: curl -H \"X-Api-Key: {SandboxAccounts.AdminApiKey}\" {url}/api/executions",
        ];
        foreach (var line in lines.SelectMany(l => ConsoleText.Wrap(string.Empty, l, hangingIndent: 4)))
        {
            yield return line;
        }

        if (!verbose && !json)
        {
            yield return "  More detail: demo --verbose (every step's full output), demo --json (the execution, for scripts).";
        }
    }

    internal static List<(bool Ok, string Text)> Verify(HyOppsSandbox sandbox, OrgResponse org, UserResponse user, ExecutionDetailResponse execution)
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

    private static string Show(object? value) => value?.ToString() ?? "none";

    private static async Task WriteAsync(TextWriter output, string text, string prefix = "")
    {
        foreach (var line in ConsoleText.Wrap(prefix, text, hangingIndent: prefix.Length + 2))
        {
            await output.WriteLineAsync(line);
        }
    }

    private static async Task<int> FailAsync(TextWriter output, string reason)
    {
        await WriteAsync(output, $"Demo FAILED: {reason}");
        return 1;
    }
}
