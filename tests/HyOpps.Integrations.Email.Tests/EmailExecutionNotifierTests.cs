using HyOpps.Testing.Smtp;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Email.Tests;

public sealed class EmailExecutionNotifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ExecutionNotification Notification(string eventId = "ex-1/StepFailedPermanently/6.0") => new()
    {
        EventId = eventId,
        Kind = ExecutionNotificationKind.StepFailedPermanently,
        ExecutionId = "ex-1",
        WorkflowName = "new_partner_user",
        StepId = "add_user_to_slack_group",
        OccurredAt = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero),
        Labels = new Dictionary<string, string> { ["org"] = "acme", ["email"] = "jane.doe@partner.test" },
        DashboardUrl = new Uri("https://ops.example.com/hyopps/executions/ex-1"),
        Summary = "Step add_user_to_slack_group of new_partner_user failed permanently (category: <not_configured>)",
    };

    [Fact]
    public async Task NotifyAsync_SendsSummaryFactsAndLink_ToTheConfiguredRecipients_WithoutLabels()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = Create(smtp, o => { o.To.Add("ops@hyopps.test"); o.To.Add("Oncall <oncall@hyopps.test>"); });
        var notifier = Notifier(host);

        await notifier.NotifyAsync(Notification(), Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal(["ops@hyopps.test", "oncall@hyopps.test"], email.EnvelopeRecipients);
        Assert.Equal("[HyOpps] Step add_user_to_slack_group of new_partner_user failed permanently (category: <not_configured>)", email.Subject);
        Assert.Contains("Step: add_user_to_slack_group", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("Execution: ex-1", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("When: 2026-12-01 09:30:00 UTC", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open it in the dashboard: https://ops.example.com/hyopps/executions/ex-1", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://ops.example.com/hyopps/executions/ex-1\">", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("(category: &lt;not_configured&gt;)", email.HtmlBody, StringComparison.Ordinal);
        var all = $"{email.Subject}\n{email.TextBody}\n{email.HtmlBody}";
        Assert.DoesNotContain("jane.doe", all, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_SameEventTwice_SameMessageId_OtherEventOtherId()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = Create(smtp, o => o.To.Add("ops@hyopps.test"));
        var notifier = Notifier(host);

        await notifier.NotifyAsync(Notification(), Ct);
        await notifier.NotifyAsync(Notification(), Ct);
        await notifier.NotifyAsync(Notification("ex-1/StepFailedPermanently/6.1"), Ct);

        var emails = await smtp.WaitForMessagesAsync(3, EmailTestHost.Wait, Ct);
        Assert.Equal(emails[0].MessageId, emails[1].MessageId);
        Assert.NotEqual(emails[0].MessageId, emails[2].MessageId);
        Assert.EndsWith("@hyopps.test", emails[0].MessageId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotifyAsync_GivenRecipients_GoToThemOnly()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = Create(smtp, o => o.To.Add("ops@hyopps.test"));

        await Notifier(host).NotifyAsync(Notification(), ["alerts@partner.test"], Ct);

        Assert.Equal(["alerts@partner.test"], (await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct)).EnvelopeRecipients);
    }

    [Fact]
    public async Task NotifyAsync_SmtpNotConfigured_ThrowsNamingTheSettings()
    {
        await using var host = Create(smtp: null, o => o.To.Add("ops@hyopps.test"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Notifier(host).NotifyAsync(Notification(), Ct).AsTask());

        Assert.Contains("HyOpps:Email", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_NoOrBadRecipient_FailsNamingTheKey()
    {
        var collection = new ServiceCollection();
        collection.AddHyOpps().AddEmailNotifications(o => o.To.Add("not an address"));
        using var provider = collection.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmailNotificationOptions>>().Value);

        Assert.Contains("HyOpps:EmailNotifications:To:0 is not an email address (was 'not an address')", ex.Message, StringComparison.Ordinal);
    }

    private static EmailTestHost Create(SmtpSimulator? smtp, Action<EmailNotificationOptions> configure)
        => EmailTestHost.Create(smtp, services: s => s.AddHyOpps().AddEmailNotifications(configure));

    private static EmailExecutionNotifier Notifier(EmailTestHost host) => host.Services.GetRequiredService<EmailExecutionNotifier>();
}
