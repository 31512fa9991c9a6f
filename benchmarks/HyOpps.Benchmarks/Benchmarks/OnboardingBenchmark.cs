using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Slack;
using HyOpps.Onboarding;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Smtp;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>
/// The onboarding flow against the simulators (real HTTP and SMTP on 127.0.0.1) with 1, 8 and 32 executions in flight,
/// beside the same step bodies called one after another with no runtime (no durability) at the same concurrency.
/// </summary>
internal static class OnboardingBenchmark
{
    public const string WorkflowName = "new_partner_user";

    private const string SlackGroupHandle = "acme-partners";
    private const string AtlassianGroupId = "grp-acme";

    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var inflights = args.Ints("inflight", 1, 8, 32);
        var executions = args.Int("executions", 64);
        var sync = ThroughputBenchmark.ParseSync(args.Strings("sync", "full"))[^1];

        await using var slack = new SlackSimulator();
        await using var atlassian = new AtlassianSimulator();
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { UserName = "hyopps", Password = "sim-password" });
        await slack.StartAsync();
        await atlassian.StartAsync();
        await smtp.StartAsync();
        var slackGroup = slack.CreateUserGroup(SlackGroupHandle);
        atlassian.CreateGroup("acme-partners", AtlassianGroupId);
        var users = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        await using var system = await HyOppsSystem.StartAsync(dir.NewDatabase("onboarding"), sync, steps: 0, maxConcurrent: 64, (services, hyopps) =>
        {
            hyopps.AddSlack(o =>
            {
                o.BotToken = slack.BotToken;
                o.BaseUrl = slack.ApiBaseAddress;
            })
            .AddAtlassian(o =>
            {
                o.SiteUrl = atlassian.SiteUrl;
                o.AdminApiBaseUrl = atlassian.AdminApiBaseUrl;
                o.Email = atlassian.Email;
                o.ApiToken = atlassian.ApiToken;
            })
            .AddEmail(o =>
            {
                o.Host = smtp.Host;
                o.Port = smtp.Port;
                o.Security = SmtpSecurity.None;
                o.UserName = smtp.UserName;
                o.Password = smtp.Password;
                o.From = "HyOpps <noreply@hyopps.test>";
            })
            .AddWorkflow(WorkflowName, wf => wf
                .Step("validate_partner_user", (context, _) => ValueTask.FromResult(Validate(context)))
                .Step("create_partner_user", (context, _) => ValueTask.FromResult(CreateUser(context, users)))
                .Step<AddUserToSlackGroupStep>()
                .Step<AddUserToAtlassianGroupStep>()
                .Step<ShareDocumentationStep>());
        });

        var run = 0;
        foreach (var inflight in inflights)
        {
            run++;
            var prefix = $"r{run}";
            string Email(int i) => $"user{i}.{prefix}@partner.test";
            for (var i = 0; i < (executions * 2) + 2; i++)
            {
                // Each person already has a Slack and an Atlassian account; the flow finds them and adds them to the groups.
                slack.AddUser(Email(i));
                atlassian.AddAccount(Email(i));
            }

            string Input(int i) => JsonSerializer.Serialize(NewInput(Email(i), slackGroup), HyOppsJson.SerializerOptions);

            if (run == 1)
            {
                // Warm up both paths (JIT, connections to the simulators) before anything is measured.
                await RunDirectAsync(executions * 2);
                await RunDurableAsync((executions * 2) + 1);
            }

            // Baseline: the same step bodies run in-process, one after another, no store at all.
            var direct = await RunBoundedAsync(executions, inflight, i => RunDirectAsync(executions + i));
            var durable = await RunBoundedAsync(executions, inflight, RunDurableAsync);

            async Task RunDirectAsync(int i)
            {
                var input = NewInput(Email(i), slackGroup);
                Validate(new TestStepContext(input, system.Services, "validate_partner_user"));
                CreateUser(new TestStepContext(input, system.Services, "create_partner_user"), users);
                await system.Services.GetRequiredService<AddUserToSlackGroupStep>().ExecuteAsync(new TestStepContext(input, system.Services, AddUserToSlackGroupStep.Id), CancellationToken.None);
                await system.Services.GetRequiredService<AddUserToAtlassianGroupStep>().ExecuteAsync(new TestStepContext(input, system.Services, AddUserToAtlassianGroupStep.StepId), CancellationToken.None);
                await system.Services.GetRequiredService<ShareDocumentationStep>().ExecuteAsync(new TestStepContext(input, system.Services, ShareDocumentationStep.StepId), CancellationToken.None);
            }

            async Task RunDurableAsync(int i)
            {
                var started = await system.Client.StartJsonAsync(WorkflowName, Input(i));
                var detail = await system.Client.WaitForCompletionAsync(started.ExecutionId);
                if (detail.Status != ExecutionStatus.Succeeded)
                {
                    throw new InvalidOperationException($"Onboarding {started.ExecutionId} ended {detail.Status}: {detail.Error}");
                }
            }

            var setting = $"{inflight} in flight, {executions} executions, sync={sync.ToString().ToUpperInvariant()}";
            report.Add(new Figure("onboarding", setting, "executions/s", "/s", durable.PerSecond, "same steps called directly, no runtime", direct.PerSecond));
            report.Add(new Figure("onboarding", setting, "median execution", "ms", Stats.Median(durable.LatenciesMs), "same steps called directly, no runtime", Stats.Median(direct.LatenciesMs), HigherIsBetter: false));
        }

        report.Note($"onboarding: 5 steps per execution — validate_partner_user and create_partner_user (in-process), add_user_to_slack_group and add_user_to_atlassian_group (HTTP to the simulators), " +
            "share_documentation (SMTP to the simulator). The Metabase and Teams steps (4 of the 9) are not on main yet, so they are not measured.");
    }

    private static PartnerOnboardingInput NewInput(string email, string slackGroup) => new()
    {
        Org = new PartnerOrg
        {
            Name = "Acme Partners",
            SlackUserGroupId = slackGroup,
            AtlassianGroupId = AtlassianGroupId,
            DocumentationLinks = [new DocumentationLink("Getting started", "https://docs.acme.test/start")],
        },
        User = new PartnerUser { Email = email, FirstName = "Ada", LastName = "Lovelace" },
    };

    private static StepResult Validate(StepContext context)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        if (!input.User.Email.Contains('@', StringComparison.Ordinal) || !input.Org.Active)
        {
            throw StepException.Permanent("invalid partner user", StepErrorTypes.InvalidInput);
        }

        return StepResult.Succeeded(new { email = input.User.NormalizedEmail });
    }

    private static StepResult CreateUser(StepContext context, ConcurrentDictionary<string, string> users)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        var id = users.GetOrAdd(input.User.NormalizedEmail, _ => Guid.NewGuid().ToString("N"));
        return StepResult.Succeeded(new { user_id = id });
    }

    private static async Task<(double PerSecond, List<double> LatenciesMs)> RunBoundedAsync(int count, int inflight, Func<int, Task> run)
    {
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inflight).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await run(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        return (count / clock.Elapsed.TotalSeconds, [.. latencies]);
    }
}
