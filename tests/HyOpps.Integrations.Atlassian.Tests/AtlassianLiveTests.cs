using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Atlassian.Tests;

/// <summary>Runs the add step against a real Atlassian site; opt-in through HYOPPS_LIVE_ATLASSIAN_* variables, skipped otherwise.</summary>
public sealed class AtlassianLiveTests
{
    [Fact]
    public async Task ExecuteAsync_LiveSite_AddsTheUserToTheGroup()
    {
        var site = Environment.GetEnvironmentVariable("HYOPPS_LIVE_ATLASSIAN_SITE_URL");
        var email = Environment.GetEnvironmentVariable("HYOPPS_LIVE_ATLASSIAN_EMAIL");
        var token = Environment.GetEnvironmentVariable("HYOPPS_LIVE_ATLASSIAN_API_TOKEN");
        var groupId = Environment.GetEnvironmentVariable("HYOPPS_LIVE_ATLASSIAN_GROUP_ID");
        var userEmail = Environment.GetEnvironmentVariable("HYOPPS_LIVE_ATLASSIAN_USER_EMAIL");
        Assert.SkipWhen(
            new[] { site, email, token, groupId, userEmail }.Any(string.IsNullOrWhiteSpace),
            "Set HYOPPS_LIVE_ATLASSIAN_SITE_URL, _EMAIL, _API_TOKEN, _GROUP_ID and _USER_EMAIL to run against a real Atlassian site.");

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHyOpps().AddAtlassian(o =>
        {
            o.SiteUrl = new Uri(site!);
            o.Email = email;
            o.ApiToken = token;
        });
        await using var provider = services.BuildServiceProvider();
        var input = new AddUserToAtlassianGroupInput { Email = userEmail!, GroupId = groupId! };
        var step = provider.GetRequiredService<AddUserToAtlassianGroupStep>();

        var first = await step.ExecuteAsync(input, new TestStepContext(input, provider, AddUserToAtlassianGroupStep.Id), TestContext.Current.CancellationToken);
        var second = await step.ExecuteAsync(input, new TestStepContext(input, provider, AddUserToAtlassianGroupStep.Id), TestContext.Current.CancellationToken);

        Assert.Equal(StepOutcome.Succeeded, first.Outcome);
        Assert.True((bool)first.Output!["verified"]!);
        Assert.False((bool)second.Output!["added"]!);
        Assert.Equal((string?)first.Output["atlassian_account_id"], (string?)second.Output["atlassian_account_id"]);
    }
}
