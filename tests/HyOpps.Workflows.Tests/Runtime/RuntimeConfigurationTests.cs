using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class RuntimeConfigurationTests
{
    [Fact]
    public void AddHyOpps_WithConfigurationRegistered_BindsHyOppsRuntime()
    {
        using var provider = Build(s => s.AddHyOpps(), ("HyOpps:Runtime:MaxConcurrentExecutions", "7"), ("HyOpps:Runtime:LeaseDuration", "00:00:09"), ("HyOpps:Runtime:MaxAbandonedAttempts", "4"));

        var options = provider.GetRequiredService<IOptions<HyOppsOptions>>().Value;

        Assert.Equal((7, TimeSpan.FromSeconds(9), 4), (options.MaxConcurrentExecutions, options.LeaseDuration, options.MaxAbandonedAttempts));
    }

    [Fact]
    public void AddHyOpps_WithoutConfiguration_KeepsTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddHyOpps();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(32, provider.GetRequiredService<IOptions<HyOppsOptions>>().Value.MaxConcurrentExecutions);
    }

    [Fact]
    public void AddHyOpps_Action_IsAppliedOverTheConfiguration()
    {
        using var provider = Build(s => s.AddHyOpps(o => o.MaxConcurrentExecutions = 3), ("HyOpps:Runtime:MaxConcurrentExecutions", "7"), ("HyOpps:Runtime:PollInterval", "00:00:02"));

        var options = provider.GetRequiredService<IOptions<HyOppsOptions>>().Value;

        Assert.Equal((3, TimeSpan.FromSeconds(2)), (options.MaxConcurrentExecutions, options.PollInterval));
    }

    [Fact]
    public void AddHyOpps_Section_BindsThatSection()
    {
        var configuration = Configuration(("Workers:Onboarding:MaxConcurrentExecutions", "11"));
        var services = new ServiceCollection();
        services.AddHyOpps(configuration.GetSection("Workers:Onboarding"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(11, provider.GetRequiredService<IOptions<HyOppsOptions>>().Value.MaxConcurrentExecutions);
    }

    [Fact]
    public void AddHyOpps_OutOfRangeValue_FailsAtStartNamingTheKeyAndTheValue()
    {
        using var provider = Build(s => s.AddHyOpps(), ("HyOpps:Runtime:MaxConcurrentExecutions", "0"));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Runtime:MaxConcurrentExecutions must be at least 1 (was '0')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHyOpps_SectionValueOutOfRange_IsNamedByThatSectionsKey()
    {
        var configuration = Configuration(("Workers:Onboarding:LeaseDuration", "-00:00:01"));
        var services = new ServiceCollection();
        services.AddHyOpps(configuration.GetSection("Workers:Onboarding"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Workers:Onboarding:LeaseDuration must be positive (was '-00:00:01')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHyOpps_UnknownKey_FailsAtStartNamingIt()
    {
        using var provider = Build(s => s.AddHyOpps(), ("HyOpps:Runtime:MaxConcurrency", "4"));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Runtime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrency", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHyOpps_MalformedValue_FailsAtStartNamingTheKeyAndTheValue()
    {
        using var provider = Build(s => s.AddHyOpps(), ("HyOpps:Runtime:LeaseDuration", "soon"));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Runtime:LeaseDuration", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'soon'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddHyOpps_RetryPolicyFromConfiguration_DoesNotChangeTheSharedDefault()
    {
        using var provider = Build(s => s.AddHyOpps(), ("HyOpps:Runtime:DefaultRetryPolicy:MaxAttempts", "9"));

        Assert.Equal(9, provider.GetRequiredService<IOptions<HyOppsOptions>>().Value.DefaultRetryPolicy.MaxAttempts);
        Assert.Equal(5, RetryPolicy.Default.MaxAttempts);
    }

    private static ServiceProvider Build(Action<IServiceCollection> add, params (string Key, string Value)[] values)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(Configuration(values));
        add(services);
        return services.BuildServiceProvider();
    }

    private static IConfigurationRoot Configuration(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
