using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Slack.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackHyOppsBuilderExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddSlack_NullArguments_Throw()
    {
        IHyOppsBuilder builder = null!;
        var real = new ServiceCollection().AddHyOpps();

        Assert.Throws<ArgumentNullException>(() => builder.AddSlack());
        Assert.Throws<ArgumentNullException>(() => builder.AddSlack(_ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddSlack(new ConfigurationBuilder().Build().GetSection("x")));
        Assert.Throws<ArgumentNullException>(() => real.AddSlack((Action<SlackOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => real.AddSlack((IConfigurationSection)null!));
    }

    [Fact]
    public void AddSlack_EachOverload_ReturnsTheSameBuilder()
    {
        var builder = new ServiceCollection().AddHyOpps();
        var section = new ConfigurationBuilder().Build().GetSection("HyOpps:Slack");

        Assert.Same(builder, builder.AddSlack());
        Assert.Same(builder, builder.AddSlack(_ => { }));
        Assert.Same(builder, builder.AddSlack(section));
    }

    [Fact]
    public void AddSlack_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().AddSlack(o => o.BotToken = "xoxb-1").AddSlack(o => o.TeamId = "T1");

        Assert.Single(services, d => d.ServiceType == typeof(AddUserToSlackGroupStep));
        Assert.Single(services, d => d.ServiceType == typeof(RemoveUserFromSlackGroupStep));
        Assert.Single(services, d => d.ServiceType == typeof(SlackUserGroupLocks));
        Assert.Single(services, d => d.ServiceType == typeof(IntegrationConfigurationCheck<SlackOptions>));
        Assert.Single(services, d => d.ImplementationType == typeof(SlackOptionsValidator));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SlackOptions>>().Value;
        Assert.Equal("xoxb-1", options.BotToken);
        Assert.Equal("T1", options.TeamId);
    }

    [Fact]
    public void AddSlack_Registered_StepsAndClientResolve()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddSlack(o => o.BotToken = "xoxb-1");
        using var provider = services.BuildServiceProvider(validateScopes: true);

        Assert.NotNull(provider.GetRequiredService<AddUserToSlackGroupStep>());
        Assert.NotNull(provider.GetRequiredService<RemoveUserFromSlackGroupStep>());
        Assert.NotNull(provider.GetRequiredService<SlackClient>());
        Assert.NotSame(provider.GetRequiredService<AddUserToSlackGroupStep>(), provider.GetRequiredService<AddUserToSlackGroupStep>());
        Assert.Same(provider.GetRequiredService<SlackUserGroupLocks>(), provider.GetRequiredService<SlackUserGroupLocks>());
    }

    [Fact]
    public void AddSlack_StepTypes_CarryTheirStepIds()
    {
        Assert.Equal("add_user_to_slack_group", GetStepId<AddUserToSlackGroupStep>());
        Assert.Equal("remove_user_from_slack_group", GetStepId<RemoveUserFromSlackGroupStep>());

        static string? GetStepId<T>() => typeof(T).GetCustomAttributes(typeof(HyOpps.Workflows.WorkflowStepAttribute), false)
            .Cast<HyOpps.Workflows.WorkflowStepAttribute>().SingleOrDefault()?.Id;
    }

    [Fact]
    public void AddSlack_DefaultOverload_BindsHyOppsSlackSection()
    {
        var options = Resolve(new()
        {
            ["HyOpps:Slack:BotToken"] = "xoxb-config",
            ["HyOpps:Slack:BaseUrl"] = "http://127.0.0.1:9/api",
            ["HyOpps:Slack:Timeout"] = "00:00:05",
            ["HyOpps:Slack:AccountWaitAttempts"] = "3",
        }, b => b.AddSlack());

        Assert.Equal("xoxb-config", options.BotToken);
        Assert.Equal(new Uri("http://127.0.0.1:9/api"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(3, options.AccountWaitAttempts);
    }

    [Fact]
    public void AddSlack_DefaultOverloadWithoutConfiguration_UsesDefaults()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().AddSlack();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SlackOptions>>().Value;

        Assert.False(options.IsConfigured);
        Assert.Equal(new Uri("https://slack.com/api/"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
    }

    [Fact]
    public void AddSlack_SlackBotTokenRootKey_UsedWhenBotTokenUnset()
    {
        var options = Resolve(new() { ["SLACK_BOT_TOKEN"] = "xoxb-env" }, b => b.AddSlack());

        Assert.Equal("xoxb-env", options.BotToken);
        Assert.True(options.IsConfigured);
    }

    [Fact]
    public void AddSlack_SlackBotTokenRootKey_DoesNotOverrideExplicitToken()
    {
        var options = Resolve(new() { ["SLACK_BOT_TOKEN"] = "xoxb-env", ["HyOpps:Slack:BotToken"] = "xoxb-section" }, b => b.AddSlack());

        Assert.Equal("xoxb-section", options.BotToken);
    }

    [Fact]
    public void AddSlack_SectionOverload_BindsTheSection()
    {
        var configuration = Configuration(new() { ["Integrations:Slack:BotToken"] = "xoxb-x", ["Integrations:Slack:TeamId"] = "T9" });

        var options = ResolveFrom(configuration, b => b.AddSlack(configuration.GetSection("Integrations:Slack")));

        Assert.Equal("xoxb-x", options.BotToken);
        Assert.Equal("T9", options.TeamId);
    }

    [Fact]
    public void Validate_UnknownKey_FailsAtStartup()
    {
        using var provider = Build(new() { ["HyOpps:Slack:BotTokn"] = "xoxb-typo" }, b => b.AddSlack());

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Slack:BotTokn is not a setting", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-typo", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RelativeBaseUrl_FailsNamingTheKey()
    {
        var configuration = Configuration(new() { ["Integrations:Slack:BotToken"] = "xoxb-x", ["Integrations:Slack:BaseUrl"] = "slack.com/api" });
        using var provider = BuildFrom(configuration, b => b.AddSlack(configuration.GetSection("Integrations:Slack")));

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Integrations:Slack:BaseUrl must be an absolute http or https URL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AdminTokenWithoutTeamIdOrBotToken_FailsNamingTheKeys()
    {
        using var provider = Build(new() { ["HyOpps:Slack:AdminToken"] = "xoxp-admin" }, b => b.AddSlack());

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Slack:TeamId is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Slack:BotToken is not", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxp-admin", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("MaxRetryAttempts", "-1")]
    [InlineData("MaxRetryAfter", "01:00:00")]
    [InlineData("AccountWaitAttempts", "0")]
    [InlineData("AccountWaitInterval", "00:00:00")]
    [InlineData("BotToken", "xoxb-with space")]
    public void Validate_OutOfRangeValue_FailsNamingTheKey(string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["HyOpps:Slack:BotToken"] = "xoxb-ok", [$"HyOpps:Slack:{key}"] = value };
        using var provider = Build(settings, b => b.AddSlack());

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"HyOpps:Slack:{key}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("with space", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NothingConfigured_IsValid()
    {
        using var provider = Build([], b => b.AddSlack());

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task StartAsync_NotConfigured_LogsOneWarningNamingTheSettings()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging();
        builder.Services.AddHyOpps().AddSlack();
        using var host = builder.Build();

        await host.StartAsync(Ct);
        await host.StopAsync(Ct);

        var warning = Assert.Single(host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Level == LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
        Assert.Contains("Slack is not configured: set HyOpps:Slack:BotToken", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MalformedSettings_FailsStartup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddHyOpps().AddSlack(o =>
        {
            o.BotToken = "xoxb-ok";
            o.BaseUrl = new Uri("ftp://slack.example/api/");
        });
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("HyOpps:Slack:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IHyOppsBuilder> add)
        => BuildFrom(Configuration(settings), add);

    private static ServiceProvider BuildFrom(IConfiguration configuration, Action<IHyOppsBuilder> add)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration);
        add(services.AddHyOpps());
        return services.BuildServiceProvider();
    }

    private static SlackOptions Resolve(Dictionary<string, string?> settings, Action<IHyOppsBuilder> add)
        => ResolveFrom(Configuration(settings), add);

    private static SlackOptions ResolveFrom(IConfiguration configuration, Action<IHyOppsBuilder> add)
    {
        using var provider = BuildFrom(configuration, add);
        return provider.GetRequiredService<IOptions<SlackOptions>>().Value;
    }
}
