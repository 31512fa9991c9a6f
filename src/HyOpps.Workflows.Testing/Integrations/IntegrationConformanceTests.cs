using System.Text.Json;
using HyOpps.Workflows.Testing.Integrations.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace HyOpps.Workflows.Testing.Integrations;

/// <summary>
/// The contract every HyOpps integration keeps (src/INTEGRATIONS.md): the three <c>AddXxx</c> overloads bind the same way,
/// unknown keys are errors naming the key path, validation names keys and values, secrets never reach logs (at Trace, including
/// structured state and scopes), outputs or exception messages, and every step resolves from a fresh scope as the runtime resolves it.
/// </summary>
/// <typeparam name="TOptions">The integration's options type.</typeparam>
/// <remarks>
/// Derive one test class per integration and describe the integration through the abstract members; override
/// <see cref="ExerciseAsync"/> to make real calls (for example against a simulator) whose logs, outputs and exceptions are
/// checked for secrets too.
/// </remarks>
public abstract class IntegrationConformanceTests<TOptions> : IAsyncLifetime
    where TOptions : class
{
    private const string CustomSection = "Custom:Integration";

    /// <summary>Gets the section the parameterless overload binds, for example <c>HyOpps:Slack</c>.</summary>
    protected abstract string DefaultSectionName { get; }

    /// <summary>Gets a complete, valid configuration, keyed relative to the section (for example <c>BotToken</c>).</summary>
    protected abstract IReadOnlyDictionary<string, string?> ValidSettings { get; }

    /// <summary>Gets the keys of <see cref="ValidSettings"/> whose values are secrets.</summary>
    protected abstract IReadOnlyCollection<string> SecretKeys { get; }

    /// <summary>Gets a setting (relative key) and a value that validation rejects; the value must not be a secret.</summary>
    protected abstract (string Key, string Value) InvalidSetting { get; }

    /// <summary>Gets the integration's step types.</summary>
    protected abstract IReadOnlyList<Type> StepTypes { get; }

    /// <summary>Adds the integration with <c>AddXxx()</c>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder the overload returned.</returns>
    protected abstract IHyOppsBuilder AddIntegration(IHyOppsBuilder builder);

    /// <summary>Adds the integration with <c>AddXxx(section)</c>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section.</param>
    /// <returns>The builder the overload returned.</returns>
    protected abstract IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section);

    /// <summary>Adds the integration with <c>AddXxx(configure)</c>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">The delegate.</param>
    /// <returns>The builder the overload returned.</returns>
    protected abstract IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<TOptions> configure);

    /// <summary>Adds what the exercise needs besides the integration, for example a handler that trusts a simulator's certificate.</summary>
    /// <param name="services">The services.</param>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Makes real calls through the integration; its outputs and any exception are checked for secrets.</summary>
    /// <param name="services">The started host's services, configured with <see cref="ValidSettings"/>.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <returns>The outputs to check; by default none.</returns>
    protected virtual Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<object?>>([]);

    /// <inheritdoc />
    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The three overloads give the same options from the same settings.</summary>
    [Fact]
    public void Overloads_BindTheSameWay()
    {
        var plain = OptionsJson(b => AddIntegration(b), DefaultSectionName);
        var section = OptionsJson(b => AddIntegration(b, Configuration(b).GetSection(CustomSection)), CustomSection);
        var configured = OptionsJson(b => AddIntegration(b, _ => { }), DefaultSectionName);

        Assert.Equal(plain, section);
        Assert.Equal(plain, configured);
        Assert.NotEqual(OptionsJson(b => AddIntegration(b), "Elsewhere"), plain);
    }

    /// <summary>The delegate of <c>AddXxx(configure)</c> runs after the binding of the default section.</summary>
    [Fact]
    public void ConfigureOverload_RunsAfterTheBinding()
    {
        var seen = new List<string>();
        using var provider = Build(b => AddIntegration(b, o => seen.Add(JsonSerializer.Serialize(o))), DefaultSectionName, ValidSettings);

        _ = provider.GetRequiredService<IOptions<TOptions>>().Value;

        Assert.Equal(OptionsJson(b => AddIntegration(b), DefaultSectionName), Assert.Single(seen));
    }

    /// <summary>Each overload returns the builder it was given and registers the integration once however often it is called.</summary>
    [Fact]
    public void Overloads_ReturnTheBuilderAndRegisterOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddHyOpps();

        Assert.Same(builder, AddIntegration(builder));
        Assert.Same(builder, AddIntegration(builder, _ => { }));
        Assert.Same(builder, AddIntegration(builder));

        Assert.All(StepTypes, t => Assert.Single(services, d => d.ServiceType == t));
        Assert.Single(services, d => d.ServiceType == typeof(IHyOppsIntegrationCheck));
    }

    /// <summary>A key the options do not have fails start-up, naming the full key path and not its value.</summary>
    /// <param name="defaultSection">Whether the default section (true) or a given section (false) is bound.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void UnknownKey_FailsNamingTheKeyPath(bool defaultSection)
    {
        var path = defaultSection ? DefaultSectionName : CustomSection;
        var settings = new Dictionary<string, string?>(ValidSettings) { ["NoSuchSetting"] = "value-of-a-typo" };
        using var provider = Build(b => _ = defaultSection ? AddIntegration(b) : AddIntegration(b, Configuration(b).GetSection(CustomSection)), path, settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TOptions>>().Value);

        Assert.Contains($"{path}:NoSuchSetting", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("value-of-a-typo", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A malformed value fails start-up naming the full key and the value, and never a secret.</summary>
    [Fact]
    public void InvalidValue_FailsNamingTheKeyAndTheValue()
    {
        var (key, value) = InvalidSetting;
        var settings = new Dictionary<string, string?>(ValidSettings) { [key] = value };
        using var provider = Build(b => AddIntegration(b), DefaultSectionName, settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TOptions>>().Value);

        Assert.Contains($"{DefaultSectionName}:{key}", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(value, ex.Message, StringComparison.Ordinal);
        AssertNoSecret(ex.ToString(), "the validation error");
    }

    /// <summary>Every step resolves from a fresh scope of a validated provider, as the runtime creates it, and is not shared between scopes.</summary>
    [Fact]
    public void Steps_ResolveFromAFreshScopeAsTheRuntimeDoes()
    {
        using var provider = Build(b => AddIntegration(b), DefaultSectionName, ValidSettings);

        foreach (var type in StepTypes)
        {
            Assert.True(typeof(IWorkflowStep).IsAssignableFrom(type), $"{type} is not an IWorkflowStep.");
            using var first = provider.CreateScope();
            using var second = provider.CreateScope();
            Assert.NotNull(first.ServiceProvider.GetService(type));
            var a = ActivatorUtilities.GetServiceOrCreateInstance(first.ServiceProvider, type);
            var b = ActivatorUtilities.GetServiceOrCreateInstance(second.ServiceProvider, type);
            Assert.NotSame(a, b);
        }
    }

    /// <summary>Start-up, health, the exercise and the failure paths log at Trace without any secret, in messages, state or scopes, and outputs and exceptions hold none.</summary>
    /// <returns>A task.</returns>
    [Fact]
    public async Task Secrets_NeverReachLogsOutputsOrExceptions()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.NotEmpty(SecretKeys);
        var logs = new CapturingLoggerProvider();
        await using var provider = Build(b => AddIntegration(b), DefaultSectionName, ValidSettings, logs);
        var hosted = provider.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(ct);
        }

        var checks = provider.GetServices<IHyOppsIntegrationCheck>().ToList();
        Assert.NotEmpty(checks);
        Assert.All(checks, c => Assert.Empty(c.GetMissingSettings()));

        IReadOnlyList<object?> outputs = [];
        try
        {
            outputs = await ExerciseAsync(provider, ct);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            AssertNoSecret(ex.ToString(), "the exception of the exercise");
        }

        foreach (var service in hosted)
        {
            await service.StopAsync(ct);
        }

        foreach (var output in outputs)
        {
            AssertNoSecret(output is string s ? s : JsonSerializer.Serialize(output, output?.GetType() ?? typeof(object)), "an output");
        }

        Assert.NotEmpty(logs.Texts);
        foreach (var text in logs.Texts)
        {
            AssertNoSecret(text, "a log record");
        }
    }

    /// <summary>Without any setting the integration reports the missing keys to the health checks and the host still builds.</summary>
    [Fact]
    public void NotConfigured_ReportsTheMissingKeysToHealth()
    {
        using var provider = Build(b => AddIntegration(b), DefaultSectionName, new Dictionary<string, string?>());

        var check = Assert.Single(provider.GetServices<IHyOppsIntegrationCheck>());
        var missing = check.GetMissingSettings();

        Assert.NotEmpty(missing);
        Assert.All(missing, k => Assert.StartsWith(DefaultSectionName + ":", k, StringComparison.Ordinal));
    }

    private void AssertNoSecret(string text, string where)
    {
        foreach (var key in SecretKeys)
        {
            if (ValidSettings.TryGetValue(key, out var secret) && !string.IsNullOrEmpty(secret))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The secret {key} appeared in {where}: {text}");
            }
        }
    }

    private static IConfiguration Configuration(IHyOppsBuilder builder)
        => (IConfiguration)builder.Services.Single(d => d.ServiceType == typeof(IConfiguration)).ImplementationInstance!;

    private string OptionsJson(Action<IHyOppsBuilder> add, string sectionPath)
    {
        using var provider = Build(add, sectionPath, ValidSettings);
        return JsonSerializer.Serialize(provider.GetRequiredService<IOptions<TOptions>>().Value);
    }

    private ServiceProvider Build(Action<IHyOppsBuilder> add, string sectionPath, IReadOnlyDictionary<string, string?> settings, CapturingLoggerProvider? logs = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{sectionPath}:{s.Key}", s.Value)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                l.AddProvider(logs);
            }
        });
        ConfigureServices(services);
        add(services.AddHyOpps());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
