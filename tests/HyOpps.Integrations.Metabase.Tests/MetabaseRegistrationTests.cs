using HyOpps.Integrations.Shared;
using System.Reflection;
using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseRegistrationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static MetabaseOptions Resolve(Action<IHyOppsBuilder> add, IConfiguration? configuration = null)
    {
        var services = new ServiceCollection();
        if (configuration is not null)
        {
            services.AddSingleton(configuration);
        }

        add(services.AddHyOpps());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MetabaseOptions>>().Value;
    }

    [Fact]
    public void AddMetabase_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Throws<ArgumentNullException>(() => MetabaseHyOppsBuilderExtensions.AddMetabase(null!));
        Assert.Throws<ArgumentNullException>(() => MetabaseHyOppsBuilderExtensions.AddMetabase(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => MetabaseHyOppsBuilderExtensions.AddMetabase(null!, Config().GetSection("x")));
        Assert.Throws<ArgumentNullException>(() => builder.AddMetabase((Action<MetabaseOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddMetabase((IConfigurationSection)null!));
    }

    [Fact]
    public async Task Steps_NullContext_Throw()
    {
        var step = new CreateMetabaseAccountStep(new MetabaseConnection(
            new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), new OptionsMonitorStub()));

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await ((IWorkflowStep)step).ExecuteAsync(null!, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void AddMetabase_EveryOverload_ReturnsTheSameBuilder()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Same(builder, builder.AddMetabase());
        Assert.Same(builder, builder.AddMetabase(_ => { }));
        Assert.Same(builder, builder.AddMetabase(Config().GetSection("Metabase")));
    }

    [Fact]
    public void AddMetabase_Twice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().AddMetabase().AddMetabase(_ => { });

        Assert.Single(services, d => d.ServiceType == typeof(CreateMetabaseAccountStep));
        Assert.Single(services, d => d.ServiceType == typeof(IMetabaseUserLookup));
        Assert.Single(services, d => d.ServiceType == typeof(IntegrationConfigurationCheck<MetabaseOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<MetabaseOptions>) && d.ImplementationType == typeof(MetabaseOptionsValidator));
    }

    [Theory]
    [InlineData(typeof(CreateMetabaseAccountStep), "create_metabase_account")]
    [InlineData(typeof(AddUserToMetabaseGroupStep), "add_user_to_metabase_group")]
    [InlineData(typeof(RemoveUserFromMetabaseGroupStep), "remove_user_from_metabase_group")]
    [InlineData(typeof(DeactivateMetabaseAccountStep), "deactivate_metabase_account")]
    public void AddMetabase_RegistersEveryStepTransientWithItsId(Type stepType, string id)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        using var provider = services.BuildServiceProvider(validateScopes: true);

        var first = provider.GetRequiredService(stepType);
        var second = provider.GetRequiredService(stepType);

        Assert.NotSame(first, second);
        Assert.IsAssignableFrom<IWorkflowStep>(first);
        Assert.Equal(id, stepType.GetCustomAttribute<WorkflowStepAttribute>()!.Id);
        Assert.Equal(id, stepType.GetField("Id")!.GetValue(null));
        Assert.True(stepType.IsSealed && stepType.IsPublic);
    }

    [Fact]
    public void AddMetabase_WithConfiguration_BindsTheHyOppsMetabaseSection()
    {
        var options = Resolve(b => b.AddMetabase(), Config(
            ("HyOpps:Metabase:BaseUrl", "https://metabase.example.com/"),
            ("HyOpps:Metabase:ApiKey", "mb_key"),
            ("HyOpps:Metabase:Timeout", "00:00:05"),
            ("HyOpps:Metabase:MaxRetryAttempts", "2")));

        Assert.Equal(new Uri("https://metabase.example.com/"), options.BaseUrl);
        Assert.Equal("mb_key", options.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(2, options.MaxRetryAttempts);
    }

    [Fact]
    public void AddMetabase_WithoutConfiguration_UsesTheDefaults()
    {
        var options = Resolve(b => b.AddMetabase());

        Assert.Null(options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.False(options.IsConfigured);
    }

    [Fact]
    public void AddMetabase_Action_RunsAfterTheConfiguration()
    {
        var options = Resolve(
            b => b.AddMetabase(o => o.ApiKey = "from-code"),
            Config(("HyOpps:Metabase:BaseUrl", "https://metabase.example.com/"), ("HyOpps:Metabase:ApiKey", "from-config")));

        Assert.Equal("from-code", options.ApiKey);
        Assert.Equal(new Uri("https://metabase.example.com/"), options.BaseUrl);
    }

    [Fact]
    public void AddMetabase_Section_BindsItAndNamesItsPathInMessages()
    {
        var configuration = Config(("Integrations:Metabase:BaseUrl", "https://metabase.example.com/"));

        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(b => b.AddMetabase(configuration.GetSection("Integrations:Metabase"))));

        Assert.Contains("Integrations:Metabase:ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMetabase_UnknownKey_FailsNamingIt()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(
            b => b.AddMetabase(),
            Config(("HyOpps:Metabase:BaseUrl", "https://metabase.example.com/"), ("HyOpps:Metabase:ApiKye", "typo"))));

        Assert.Contains("HyOpps:Metabase:ApiKye is not a setting", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("typo", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metabase.example.com", "k", null, null, "HyOpps:Metabase:BaseUrl must be an absolute http or https URL")]
    [InlineData("ftp://metabase.example.com/", "k", null, null, "HyOpps:Metabase:BaseUrl must be an absolute http or https URL")]
    [InlineData(null, "k", null, null, "HyOpps:Metabase:BaseUrl is required")]
    [InlineData("https://metabase.example.com/", null, null, null, "set HyOpps:Metabase:ApiKey")]
    [InlineData("https://metabase.example.com/", null, "admin@example.com", null, "HyOpps:Metabase:Password is required")]
    [InlineData("https://metabase.example.com/", null, null, "secret", "HyOpps:Metabase:Username is required")]
    [InlineData("https://metabase.example.com/", "k", "admin@example.com", "secret", "not both")]
    public void Validate_MalformedSettings_FailNamingTheKey(string? baseUrl, string? apiKey, string? username, string? password, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(b => b.AddMetabase(o =>
        {
            o.BaseUrl = baseUrl is null ? null : new Uri(baseUrl, UriKind.RelativeOrAbsolute);
            o.ApiKey = apiKey;
            o.Username = username;
            o.Password = password;
        })));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Timeout", "HyOpps:Metabase:Timeout")]
    [InlineData("MaxRetryAttempts", "HyOpps:Metabase:MaxRetryAttempts")]
    [InlineData("RetryDelay", "HyOpps:Metabase:RetryDelay")]
    [InlineData("MaxRetryAfter", "HyOpps:Metabase:MaxRetryAfter")]
    public void Validate_OutOfRangeNumbers_FailNamingTheKey(string property, string key)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(b => b.AddMetabase(o =>
        {
            switch (property)
            {
                case "Timeout": o.Timeout = TimeSpan.Zero; break;
                case "MaxRetryAttempts": o.MaxRetryAttempts = 11; break;
                case "RetryDelay": o.RetryDelay = TimeSpan.FromSeconds(-1); break;
                default: o.MaxRetryAfter = TimeSpan.FromDays(1); break;
            }
        })));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_NotConfigured_LogsOneWarningNamingTheSettings()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging();
        builder.Services.AddHyOpps().AddMetabase();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
        Assert.Contains("Metabase is not configured", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Metabase:BaseUrl", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Metabase:ApiKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_Configured_LogsNoWarning()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging();
        builder.Services.AddHyOpps().AddMetabase(o =>
        {
            o.BaseUrl = new Uri("https://metabase.example.com/");
            o.ApiKey = "k";
        });
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_MalformedSettings_FailsNamingTheKey()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("HyOpps:Metabase:BaseUrl", "not a url"), new("HyOpps:Metabase:ApiKey", "k")]);
        builder.Services.AddHyOpps().AddMetabase();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_MalformedSettings_FailsPermanentlyWithTheValidationMessage()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase(o => o.ApiKey = "k");
        await using var provider = services.BuildServiceProvider();
        var step = provider.GetRequiredService<CreateMetabaseAccountStep>();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await ((IWorkflowStep)step).ExecuteAsync(new Testing.Steps.TestStepContext(MetabaseTestHost.Input(groupId: 3).For(CreateMetabaseAccountStep.Id, null!), provider), TestContext.Current.CancellationToken));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    private sealed class OptionsMonitorStub : IOptionsMonitor<MetabaseOptions>
    {
        public MetabaseOptions CurrentValue { get; } = new();

        public MetabaseOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<MetabaseOptions, string?> listener) => null;
    }
}
