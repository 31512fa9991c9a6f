using System.Text.Json.Nodes;
using HyOpps.Integrations.Slack.Internal;
using HyOpps.TestUtilities;
using HyOpps.Testing.Slack;
using HyOpps.Workflows;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackChannelNotifierTests
{
    private const string Email = "ada.secret@partner.test";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ExecutionNotification Notification(string org = "acme") => new()
    {
        EventId = "e1/StepFailedPermanently/3.1",
        Kind = ExecutionNotificationKind.StepFailedPermanently,
        ExecutionId = "e1",
        WorkflowName = "new_partner_user",
        StepId = "add_user_to_slack_group",
        OccurredAt = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        Labels = new Dictionary<string, string> { ["org"] = org, ["email"] = Email },
        DashboardUrl = new Uri("https://ops.example.com/hyopps/executions/e1?x=1&y=<2>"),
        Summary = "Step add_user_to_slack_group of new_partner_user failed permanently (category: NotFound)",
    };

    private static IExecutionNotifier Notifier(SlackHarness h) => new SlackChannelNotifier(
        h.Services,
        h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackNotificationOptions>>(),
        h.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>(),
        h.Services.GetRequiredService<ILogger<SlackChannelNotifier>>());

    // The options are read on first use, after the test has created its channels in the started simulator.
    private static Task<SlackHarness> StartAsync(Action<SlackNotificationOptions> configure)
        => SlackHarness.StartAsync(services: s => s.AddHyOpps().AddSlackNotifications(configure));

    [Fact]
    public async Task NotifyAsync_DefaultChannel_PostsKindWorkflowStepSummaryAndLinkOnly()
    {
        string? channel = null;
        await using var h = await StartAsync(o => o.ChannelId = channel);
        channel = h.Simulator.CreateChannel("hyopps-alerts");

        await Notifier(h).NotifyAsync(Notification(), Ct);

        var message = Assert.Single(h.Simulator.GetChannelMessages(channel!));
        Assert.Contains("*Step failed permanently*", message.Text, StringComparison.Ordinal);
        Assert.Contains("`new_partner_user`", message.Text, StringComparison.Ordinal);
        Assert.Contains("`add_user_to_slack_group`", message.Text, StringComparison.Ordinal);
        Assert.Contains("(category: NotFound)", message.Text, StringComparison.Ordinal);
        Assert.Contains("<https://ops.example.com/hyopps/executions/e1?x=1&amp;y=%3C2%3E|Open the execution in the HyOpps dashboard>", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.BlocksJson!, StringComparison.Ordinal);
        Assert.Equal("section", JsonNode.Parse(message.BlocksJson!)![0]!["type"]!.GetValue<string>());
        Assert.False(message.UnfurlLinks);
    }

    [Fact]
    public async Task NotifyAsync_Selector_RoutesByOrgLabelAndFallsBackToChannelId()
    {
        string? acme = null, global = null;
        await using var h = await StartAsync(o =>
        {
            o.ChannelId = global;
            o.ChannelSelector = (n, _) => ValueTask.FromResult(n.Labels.GetValueOrDefault("org") == "acme" ? acme : null);
        });
        acme = h.Simulator.CreateChannel("acme-ops");
        global = h.Simulator.CreateChannel("all-ops");

        await Notifier(h).NotifyAsync(Notification("acme"), Ct);
        await Notifier(h).NotifyAsync(Notification("globex"), Ct);

        Assert.Single(h.Simulator.GetChannelMessages(acme!));
        Assert.Single(h.Simulator.GetChannelMessages(global!));
    }

    [Fact]
    public async Task NotifyAsync_NoChannel_PostsNothingAndSucceeds()
    {
        await using var h = await StartAsync(_ => { });

        await Notifier(h).NotifyAsync(Notification(), Ct);

        Assert.Empty(h.Simulator.Calls);
    }

    [Fact]
    public async Task NotifyAsync_UnknownChannel_ThrowsAndLogsWhatToFixWithoutSecretsOrLabels()
    {
        await using var h = await StartAsync(o => o.ChannelId = "C0GONE");

        var ex = await Assert.ThrowsAsync<SlackApiException>(async () => await Notifier(h).NotifyAsync(Notification(), Ct));

        Assert.Equal("channel_not_found", ex.Error);
        var error = Assert.Single(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("C0GONE", error.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:SlackNotifications:ChannelId", error.Message, StringComparison.Ordinal);
        AssertNoLeak(h);
    }

    [Fact]
    public async Task NotifyAsync_RevokedToken_ThrowsAndLogsTheTokenKey()
    {
        string? channel = null;
        await using var h = await StartAsync(o => o.ChannelId = channel);
        channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.RevokeToken(h.Simulator.BotToken);

        await Assert.ThrowsAsync<SlackApiException>(async () => await Notifier(h).NotifyAsync(Notification(), Ct));

        var error = Assert.Single(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("HyOpps:Slack:BotToken", error.Message, StringComparison.Ordinal);
        AssertNoLeak(h);
    }

    [Fact]
    public async Task NotifyAsync_RateLimited_ThrowsTransientWithoutErrorLog()
    {
        string? channel = null;
        await using var h = await SlackHarness.StartAsync(
            (o, _) => o.MaxRetryAfter = TimeSpan.FromSeconds(1),
            services: s => s.AddHyOpps().AddSlackNotifications(o => o.ChannelId = channel));
        channel = h.Simulator.CreateChannel("alerts");
        h.Simulator.InjectRateLimit("chat.postMessage", TimeSpan.FromMinutes(2));

        var ex = await Assert.ThrowsAsync<SlackApiException>(async () => await Notifier(h).NotifyAsync(Notification(), Ct));

        Assert.True(ex.IsTransient);
        Assert.DoesNotContain(h.Logs.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task AddSlackNotifications_WithoutAddSlack_FailsAtStartNamingAddSlack()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHyOpps().AddSlackNotifications(o => o.ChannelId = "C1");
        await using var provider = services.BuildServiceProvider();
        var registration = provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>();

        var ex = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
        {
            foreach (var service in registration)
            {
                await service.StartAsync(Ct);
            }
        });

        Assert.Contains("AddSlack", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSlackNotifications_Twice_RegistersOneNotifier()
    {
        var services = new ServiceCollection();
        var builder = services.AddHyOpps().AddSlack();

        Assert.Same(builder, builder.AddSlackNotifications());
        Assert.Same(builder, builder.AddSlackNotifications(o => o.ChannelId = "C1"));

        Assert.Single(services, d => d.ImplementationInstance?.GetType().Name == "NotifierRegistration");
    }

    [Fact]
    public async Task Runtime_StepFailsPermanently_PostsOneMessageToTheOrgChannelWithoutLabelValues()
    {
        await using var slack = new SlackSimulator();
        await slack.StartAsync(Ct);
        var acme = slack.CreateChannel("acme-ops");
        await using var host = await WorkflowTestHost.StartAsync(
            b => b.AddSlack(o =>
                {
                    o.BotToken = slack.BotToken;
                    o.BaseUrl = slack.ApiBaseAddress;
                })
                .AddSlackNotifications(o => o.ChannelSelector = (n, _) => ValueTask.FromResult(n.Labels.GetValueOrDefault("org") == "acme" ? acme : null))
                .AddWorkflow("onboard", wf => wf.Step("grant_access", (_, _) =>
                    throw StepException.Permanent($"No account for {Email}.", StepErrorTypes.NotFound))),
            o =>
            {
                o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps");
                o.Notifications.PollInterval = TimeSpan.FromMilliseconds(100);
            });

        var id = (await host.Client.StartJsonAsync(
            "onboard", "{}", new StartExecutionOptions { Labels = new Dictionary<string, string> { ["org"] = "acme", ["email"] = Email } }, Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(id, Ct);
        var message = await Eventually.UntilAsync(
            () => Task.FromResult(slack.GetChannelMessages(acme).SingleOrDefault()), m => m is not null, "the Slack notification");

        Assert.Contains($"https://ops.example.com/hyopps/executions/{id}", message!.Text, StringComparison.Ordinal);
        Assert.Contains("`grant_access`", message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, message.BlocksJson!, StringComparison.Ordinal);
        Assert.Single(slack.Messages);
        foreach (var record in host.Logs.GetSnapshot().Where(r => r.Category?.Contains("Slack", StringComparison.Ordinal) == true))
        {
            Assert.DoesNotContain(slack.BotToken, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Email, record.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertNoLeak(SlackHarness h)
    {
        foreach (var record in h.Logs.GetSnapshot())
        {
            var text = record.Message + " " + record.Exception + " " + string.Join(",", record.StructuredState ?? []);
            Assert.DoesNotContain(h.Simulator.BotToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Email, text, StringComparison.Ordinal);
            Assert.DoesNotContain("acme", text, StringComparison.Ordinal);
        }
    }
}
