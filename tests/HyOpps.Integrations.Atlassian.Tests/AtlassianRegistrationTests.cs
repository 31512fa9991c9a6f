using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AtlassianRegistrationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["HyOpps:Atlassian:SiteUrl"] = "https://acme.atlassian.net",
        ["HyOpps:Atlassian:Email"] = "bot@acme.example",
        ["HyOpps:Atlassian:ApiToken"] = "token",
    };

    [Fact]
    public void AddAtlassian_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Throws<ArgumentNullException>(() => AtlassianHyOppsBuilderExtensions.AddAtlassian(null!));
        Assert.Throws<ArgumentNullException>(() => AtlassianHyOppsBuilderExtensions.AddAtlassian(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => builder.AddAtlassian((Action<AtlassianOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddAtlassian((IConfigurationSection)null!));
    }

    [Fact]
    public void AddAtlassian_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        var builder = services.AddHyOpps();

        var returned = builder.AddAtlassian(_ => { }).AddAtlassian();

        Assert.Same(builder, returned);
        Assert.Single(services, d => d.ServiceType == typeof(AddUserToAtlassianGroupStep));
        Assert.Single(services, d => d.ServiceType == typeof(RemoveUserFromAtlassianGroupStep));
        Assert.Single(services, d => d.ServiceType == typeof(AtlassianClient));
        Assert.Single(services, d => d.ServiceType == typeof(IntegrationConfigurationCheck<AtlassianOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<AtlassianOptions>) && d.ImplementationType == typeof(AtlassianOptionsValidator));
    }

    [Fact]
    public void AddAtlassian_Registered_ResolvesStepsWithTheirIds()
    {
        using var provider = Build(Valid);

        Assert.NotNull(provider.GetRequiredService<AddUserToAtlassianGroupStep>());
        Assert.NotNull(provider.GetRequiredService<RemoveUserFromAtlassianGroupStep>());
        Assert.Equal("add_user_to_atlassian_group", GetStepId<AddUserToAtlassianGroupStep>());
        Assert.Equal("remove_user_from_atlassian_group", GetStepId<RemoveUserFromAtlassianGroupStep>());
    }

    [Fact]
    public void AddAtlassian_DefaultSection_BindsFromRegisteredConfiguration()
    {
        using var provider = Build(new Dictionary<string, string?>(Valid)
        {
            ["HyOpps:Atlassian:OrgAdminApiKey"] = "key",
            ["HyOpps:Atlassian:OrgId"] = "org",
            ["HyOpps:Atlassian:Products:0"] = "jira-software",
            ["HyOpps:Atlassian:Timeout"] = "00:00:05",
        });

        var options = provider.GetRequiredService<IOptions<AtlassianOptions>>().Value;

        Assert.Equal(new Uri("https://acme.atlassian.net"), options.SiteUrl);
        Assert.Equal("bot@acme.example", options.Email);
        Assert.Equal("org", options.OrgId);
        Assert.Equal(["jira-software"], options.Products);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.Equal(new Uri("https://api.atlassian.com/"), options.AdminApiBaseUrl);
    }

    [Fact]
    public void AddAtlassian_Section_BindsAndNamesThatSectionInMessages()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Integrations:Jira:SiteUrl"] = "https://acme.atlassian.net",
            ["Integrations:Jira:Email"] = "bot@acme.example",
        }).Build();
        var services = new ServiceCollection();
        services.AddHyOpps().AddAtlassian(configuration.GetSection("Integrations:Jira"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AtlassianOptions>>().Value);

        Assert.Contains("Integrations:Jira:ApiToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAtlassian_UnknownKey_Throws()
    {
        using var provider = Build(new Dictionary<string, string?>(Valid) { ["HyOpps:Atlassian:ApiTokn"] = "typo" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AtlassianOptions>>().Value);

        Assert.Contains("HyOpps:Atlassian:ApiTokn is not a setting", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HyOpps:Atlassian:SiteUrl", "acme.atlassian.net", "HyOpps:Atlassian:SiteUrl must be an absolute http or https URL")]
    [InlineData("HyOpps:Atlassian:SiteUrl", "ftp://acme.atlassian.net", "HyOpps:Atlassian:SiteUrl must be an absolute http or https URL")]
    [InlineData("HyOpps:Atlassian:ApiToken", "", "HyOpps:Atlassian:ApiToken is required")]
    [InlineData("HyOpps:Atlassian:Email", " ", "HyOpps:Atlassian:Email is required")]
    [InlineData("HyOpps:Atlassian:OrgAdminApiKey", "key", "HyOpps:Atlassian:OrgId is required")]
    [InlineData("HyOpps:Atlassian:OrgId", "org", "HyOpps:Atlassian:OrgAdminApiKey is required")]
    [InlineData("HyOpps:Atlassian:Timeout", "00:00:00", "HyOpps:Atlassian:Timeout must be between")]
    [InlineData("HyOpps:Atlassian:AdminApiBaseUrl", "/relative", "HyOpps:Atlassian:AdminApiBaseUrl must be an absolute")]
    public void Validate_MalformedSetting_FailsNamingTheKey(string key, string value, string expected)
    {
        using var provider = Build(new Dictionary<string, string?>(Valid) { [key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AtlassianOptions>>().Value);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_PartialConfiguration_FailsAtStartup()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HyOpps:Atlassian:SiteUrl"] = "https://acme.atlassian.net" });
        builder.Services.AddHyOpps().AddAtlassian();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HyOpps:Atlassian:Email", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NothingConfigured_StartsAndWarnsNamingTheSettings()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddFakeLogging();
        builder.Services.AddHyOpps().AddAtlassian();
        using var host = builder.Build();

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
        Assert.Contains("Atlassian is not configured", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:SiteUrl", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:ApiToken", warning.Message, StringComparison.Ordinal);
    }

    private static string GetStepId<T>()
        => ((WorkflowStepAttribute)Attribute.GetCustomAttribute(typeof(T), typeof(WorkflowStepAttribute))!).Id;

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddHyOpps().AddAtlassian();
        return services.BuildServiceProvider();
    }
}
