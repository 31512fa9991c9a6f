using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Tests.Notifications;

/// <summary>The <c>HyOpps:Runtime:Notifications</c> settings: binding, defaults and start-up validation.</summary>
public sealed class NotificationOptionsTests
{
    [Fact]
    public void Options_BindFromHyOppsRuntimeNotifications_WithDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HyOpps:Runtime:Notifications:DashboardBaseUrl"] = "https://ops.example.com/hyopps",
            ["HyOpps:Runtime:Notifications:BatchSize"] = "20",
        }).Build());
        services.AddHyOpps();
        using var provider = services.BuildServiceProvider();

        var n = provider.GetRequiredService<IOptions<HyOppsOptions>>().Value.Notifications;

        Assert.Equal(new Uri("https://ops.example.com/hyopps"), n.DashboardBaseUrl);
        Assert.Equal((20, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), TimeSpan.FromDays(7), TimeSpan.FromSeconds(30)),
            (n.BatchSize, n.RetryBackoff, n.MaxRetryBackoff, n.PollInterval, n.ClaimDuration, n.MaxAge, n.NotifierTimeout));
    }

    [Fact]
    public void Options_BadValues_FailAtStartNamingEachKey()
    {
        var services = new ServiceCollection();
        services.AddHyOpps(o =>
        {
            o.Notifications.DashboardBaseUrl = new Uri("/hyopps", UriKind.Relative);
            o.Notifications.BatchSize = 0;
            o.Notifications.RetryBackoff = TimeSpan.FromMinutes(10);
            o.Notifications.MaxRetryBackoff = TimeSpan.FromMinutes(1);
            o.Notifications.ClaimDuration = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Runtime:Notifications:DashboardBaseUrl must be an absolute http or https address (was '/hyopps')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Notifications:BatchSize must be between 1 and 1000 (was '0')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Notifications:MaxRetryBackoff must not be shorter than RetryBackoff", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Notifications:ClaimDuration must be positive", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00", "must be positive (was '00:00:00')")]
    [InlineData("00:02:00", "must be shorter than ClaimDuration ('00:02:00') (was '00:02:00')")]
    public void Options_NotifierTimeoutNotPositiveOrNotShorterThanTheClaim_FailsAtStartNamingTheKey(string timeout, string rule)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HyOpps:Runtime:Notifications:NotifierTimeout"] = timeout,
        }).Build());
        services.AddHyOpps();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"HyOpps:Runtime:Notifications:NotifierTimeout {rule}", ex.Message, StringComparison.Ordinal);
    }
}
