using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>Slack channel notifications in the sample: routed to the org's Slack channel, recorded by the Slack simulator in sandbox mode.</summary>
public sealed class ChatNotificationTests
{
    private const string DashboardBase = "https://ops.example.test/hyopps";

    [Fact]
    public async Task OnboardingFailsPermanently_OneSlackMessageInTheOrgChannel_WithTheLink_WithoutTheEmail()
    {
        await using var host = await StartAsync(settings: new Dictionary<string, string?> { ["HyOpps:Runtime:Notifications:DashboardBaseUrl"] = DashboardBase });
        var demo = await host.DemoOrgAsync();
        var channel = host.Sandbox.Slack.CreateChannel("partner-alerts");
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var current = (await orgs.GetAsync(demo.Id, Ct))!;
        Assert.True(await orgs.UpdateAsync(
            current with
            {
                Notifications = new NotificationTarget { SlackChannelId = channel },
                DocumentationLinks = [new DocumentationLink("Handbook", "htp:/handbook")],
            },
            Ct));
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, demo.Id, "Katherine.Johnson@Partner.example", "Katherine", "Johnson");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);

        var messages = await Eventually.UntilAsync(
            () => Task.FromResult(host.Sandbox.Slack.GetChannelMessages(channel)), (IReadOnlyList<HyOpps.Testing.Slack.SlackSimulatorMessage> m) => m.Count >= 1, "the Slack notification");

        var message = Assert.Single(messages);
        Assert.Contains($"{DashboardBase}/executions/{started.ExecutionId}", message.Text, StringComparison.Ordinal);
        Assert.Contains(PartnerWorkflowNames.ShareDocumentation, message.Text, StringComparison.Ordinal);
        foreach (var text in new[] { message.Text, message.BlocksJson ?? string.Empty })
        {
            Assert.DoesNotContain("katherine.johnson@partner.example", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Johnson", text, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Sandbox.Slack.BotToken, text, StringComparison.Ordinal);
        }
    }
}
