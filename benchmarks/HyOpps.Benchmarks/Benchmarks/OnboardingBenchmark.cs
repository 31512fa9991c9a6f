using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Onboarding;
using HyOpps.Benchmarks.Systems;
using HyOpps.Onboarding;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>
/// The nine-step new_partner_user flow of the sample host against the simulators (real HTTP, HTTPS and SMTP on 127.0.0.1) with
/// 1, 8 and 32 executions in flight, beside the same step bodies called one after another with no runtime and no store.
/// </summary>
internal static class OnboardingBenchmark
{
    public const string WorkflowName = OnboardingWorkflow.Name;

    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var inflights = args.Ints("inflight", 1, 8, 32);
        var executions = args.Int("executions", 64);
        var sync = ThroughputBenchmark.ParseSync(args.Strings("sync", "full"))[^1];
        var steps = OnboardingWorkflow.Steps;

        await using var sandbox = await OnboardingSandbox.StartAsync();
        var records = new PartnerRecords();
        await using var system = await HyOppsSystem.StartAsync(dir.NewDatabase("onboarding"), sync, steps: 0, maxConcurrent: 64,
            (services, hyopps) => OnboardingWorkflow.Register(services, hyopps, sandbox, records));

        // Each measured batch onboards its people into an org of its own, so that every batch (direct or durable) meets
        // groups, teams and channels of the same size: the Teams and Slack steps read the member lists, which grow.
        var people = 0;
        var orgs = new List<(PartnerOrg Org, int People)>();
        PartnerOnboardingInput[] NewPeople(int count)
        {
            var org = sandbox.ProvisionPartnerOrg($"Partner org {orgs.Count + 1}", orgs.Count + 1);
            records.AddOrg(org);
            orgs.Add((org, count));
            return [.. Enumerable.Range(0, count).Select(_ =>
            {
                var n = ++people;
                var email = $"person{n}@partner.test";
                sandbox.AddPerson(email, $"Ada Lovelace {n}");
                return new PartnerOnboardingInput { Org = org, User = new PartnerUser { Email = email, FirstName = "Ada", LastName = $"Lovelace {n}" } };
            })];
        }

        async Task<double[]> RunDirectAsync(PartnerOnboardingInput input)
        {
            var context = new DirectStepContext(JsonSerializer.SerializeToElement(input, HyOppsJson.SerializerOptions), system.Services);
            var times = new double[steps.Count];
            for (var s = 0; s < steps.Count; s++)
            {
                var (id, type, retry) = steps[s];
                var started = Stopwatch.GetTimestamp();
                for (var attempt = 1; ; attempt++)
                {
                    context.Begin(id, attempt);
                    try
                    {
                        // As the runtime does: a scope per step, the step resolved from it.
                        await using var scope = system.Services.CreateAsyncScope();
                        var step = (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, type);
                        var result = await step.ExecuteAsync(context, CancellationToken.None);
                        if (result.Outcome != StepOutcome.Succeeded)
                        {
                            throw new InvalidOperationException($"Direct onboarding of {input.User.Email}: {id} ended {result.Outcome} ({result.Output?.ToJsonString()}).");
                        }

                        context.Complete(result);
                        break;
                    }
                    catch (StepException ex) when (ex.IsRetryable && attempt < retry.MaxAttempts)
                    {
                        await Task.Delay(retry.GetDelay(attempt, ex.RetryAfter, Random.Shared));
                    }
                }

                times[s] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }

            return times;
        }

        var retries = 0;
        async Task<double[]> RunDurableAsync(PartnerOnboardingInput input)
        {
            var started = await system.Client.StartAsync(WorkflowName, input, OnboardingWorkflow.StartOptions(input));
            var detail = await system.Client.WaitForCompletionAsync(started.ExecutionId);
            if (detail.Status != ExecutionStatus.Succeeded || detail.Steps.Count != steps.Count || detail.Steps.Any(s => s.Status != StepStatus.Succeeded))
            {
                throw new InvalidOperationException($"Onboarding {started.ExecutionId} ended {detail.Status}: {detail.Error} " +
                    string.Join(", ", detail.Steps.Select(s => $"{s.Id}={s.Status}")));
            }

            Interlocked.Add(ref retries, detail.Steps.Sum(s => s.Attempts.Count - 1));
            return [.. detail.Steps.Select(s => s.Attempts.Sum(a => a.Duration?.TotalMilliseconds ?? 0))];
        }

        // Warm up both paths (JIT, token, connections to the simulators) before anything is measured.
        var warmupDirect = NewPeople(4);
        var warmupDurable = NewPeople(4);
        await RunBoundedAsync(4, 4, i => RunDirectAsync(warmupDirect[i]));
        await RunBoundedAsync(4, 4, i => RunDurableAsync(warmupDurable[i]));
        retries = 0;

        var breakdown = new List<string>();
        foreach (var inflight in inflights)
        {
            var directPeople = NewPeople(executions);
            var durablePeople = NewPeople(executions);

            // Baseline: the same step bodies run in-process, one after another, no store at all.
            var direct = await RunBoundedAsync(executions, inflight, i => RunDirectAsync(directPeople[i]));
            var durable = await RunBoundedAsync(executions, inflight, i => RunDurableAsync(durablePeople[i]));

            var setting = $"{inflight} in flight, {executions} executions, sync={sync.ToString().ToUpperInvariant()}";
            report.Add(new Figure("onboarding", setting, "executions/s", "/s", durable.PerSecond, "same steps called directly, no runtime", direct.PerSecond));
            report.Add(new Figure("onboarding", setting, "median execution", "ms", Stats.Median(durable.LatenciesMs), "same steps called directly, no runtime", Stats.Median(direct.LatenciesMs), HigherIsBetter: false));
            breakdown.Add($"{inflight} in flight: " + string.Join(", ", steps.Select((s, k) =>
                $"{s.Id} {Format(Stats.Median([.. durable.StepMs.Select(t => t[k])]))}/{Format(Stats.Median([.. direct.StepMs.Select(t => t[k])]))}")));
        }

        // Every person onboarded really is everywhere: read back from the simulators.
        foreach (var (org, expected) in orgs)
        {
            var checks = new (string What, int Count)[]
            {
                ("Metabase group", sandbox.Metabase.GetGroupMembers(org.MetabaseGroupId!.Value).Count),
                ("Teams team", sandbox.Graph.GetTeamMembers(org.TeamsTeamId!).Count),
                ("Teams private channel", sandbox.Graph.GetChannelMembers(org.TeamsTeamId!, org.TeamsChannelId!).Count),
                ("Slack user group", sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!).Count - 1),
                ("Slack channel", sandbox.Slack.GetChannelMembers(org.SlackChannelId!).Count),
                ("Atlassian group", sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!).Count),
            };
            if (checks.FirstOrDefault(c => c.Count != expected) is { What: not null } missing)
            {
                throw new InvalidOperationException($"{expected} people onboarded into {org.Name}, but its {missing.What} has {missing.Count}: " +
                    string.Join(", ", checks.Select(c => $"{c.What} {c.Count}")));
            }
        }

        var total = people;
        if (sandbox.Smtp.Messages.Count != total || records.CountActive() != total)
        {
            throw new InvalidOperationException($"{total} people onboarded, but {sandbox.Smtp.Messages.Count} emails received and {records.CountActive()} partner users active.");
        }

        report.Note($"onboarding: new_partner_user of HyOpps.Onboarding with the sample host's own steps, all {steps.Count} steps with its sandbox retry policies and settings — validate_partner_user " +
            "(input rules, org lookup, and in the durable run a store query for another onboarding of the email) and create_partner_user (in memory here, " +
            "SQLite in the sample), create_metabase_account and add_user_to_metabase_group (HTTP; membership read back), invite_to_teams and " +
            "add_user_to_teams_channel (Graph over HTTP with an app-only token from the HTTPS token endpoint; team + private channel), " +
            "add_user_to_slack_group (HTTP; lookup, union of the user group, channel invite), add_user_to_atlassian_group (HTTP), share_documentation " +
            $"(SMTP). Simulators on 127.0.0.1 in this process, without the sample's demo delays (people already have Slack/Atlassian accounts; a new Teams guest is visible at once); " +
            "each batch gets a fresh org (group, team, channel, user group). " +
            $"Checked afterwards: all {total} people (warm-up, direct and durable) are in their org's groups, team and channels, got the email and are active; {retries} step retries in the measured durable runs.");
        report.Note("onboarding step medians, ms (durable: the step attempt as the runtime records it / direct: the call): " + string.Join("; ", breakdown));
    }

    private static string Format(double ms) => ms.ToString(ms < 10 ? "F1" : "F0", CultureInfo.InvariantCulture);

    private static async Task<(double PerSecond, List<double> LatenciesMs, double[][] StepMs)> RunBoundedAsync(int count, int inflight, Func<int, Task<double[]>> run)
    {
        var latencies = new double[count];
        var stepMs = new double[count][];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inflight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                stepMs[i] = await run(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        return (count / clock.Elapsed.TotalSeconds, [.. latencies], stepMs);
    }
}
