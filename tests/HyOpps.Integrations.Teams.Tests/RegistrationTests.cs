using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Teams.Internal;
using HyOpps.Testing.Steps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class RegistrationTests
{
    private static readonly Dictionary<string, string?> ValidSettings = new()
    {
        ["HyOpps:Teams:TenantId"] = "5f1c5a8e-3b8a-4f57-9d0b-6a8e9b2f1c10",
        ["HyOpps:Teams:ClientId"] = "0c9e1a47-8f0d-4a5e-9b7c-2d3e4f5a6b7c",
        ["HyOpps:Teams:ClientSecret"] = "not-a-real-secret",
    };

    [Fact]
    public void AddTeams_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Throws<ArgumentNullException>(() => ((IHyOppsBuilder)null!).AddTeams());
        Assert.Throws<ArgumentNullException>(() => ((IHyOppsBuilder)null!).AddTeams(_ => { }));
        Assert.Throws<ArgumentNullException>(() => ((IHyOppsBuilder)null!).AddTeams(new ConfigurationBuilder().Build().GetSection("x")));
        Assert.Throws<ArgumentNullException>(() => builder.AddTeams((Action<TeamsOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddTeams((IConfigurationSection)null!));
    }

    [Fact]
    public void AddTeams_CalledTwice_RegistersServicesOnceAndReturnsTheBuilder()
    {
        var services = new ServiceCollection();
        var builder = services.AddHyOpps();

        var returned = builder.AddTeams().AddTeams(o => o.SendInvitationMessage = false);

        Assert.Same(builder, returned);
        Assert.Single(services, d => d.ServiceType == typeof(InviteToTeamsStep));
        Assert.Single(services, d => d.ServiceType == typeof(AddUserToTeamsChannelStep));
        Assert.Single(services, d => d.ServiceType == typeof(RemoveUserFromTeamsStep));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<TeamsOptions>) && d.ImplementationType == typeof(TeamsOptionsValidator));
        Assert.Single(services, d => d.ServiceType == typeof(IntegrationConfigurationCheck<TeamsOptions>));
    }

    [Fact]
    public void AddTeams_Registered_ResolvesEveryStepPerScope()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHyOpps().AddTeams(o =>
        {
            o.TenantId = "contoso.onmicrosoft.com";
            o.ClientId = "client";
            o.ClientSecret = "secret";
        });
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using var scope = provider.CreateScope();

        Assert.NotNull(ActivatorUtilities.GetServiceOrCreateInstance<InviteToTeamsStep>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.GetServiceOrCreateInstance<AddUserToTeamsChannelStep>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.GetServiceOrCreateInstance<RemoveUserFromTeamsStep>(scope.ServiceProvider));
    }

    [Fact]
    public void AddTeams_DefaultOverload_BindsTheHyOppsTeamsSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(ValidSettings)
        {
            ["HyOpps:Teams:SendInvitationMessage"] = "false",
            ["HyOpps:Teams:GraphBaseUrl"] = "https://graph.microsoft.us/v1.0",
            ["HyOpps:Teams:AuthorityHost"] = "https://login.microsoftonline.us/",
            ["HyOpps:Teams:MembershipVisibilityTimeout"] = "00:05:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddHyOpps().AddTeams();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<TeamsOptions>>().Value;

        Assert.True(options.IsConfigured);
        Assert.Equal("0c9e1a47-8f0d-4a5e-9b7c-2d3e4f5a6b7c", options.ClientId);
        Assert.False(options.SendInvitationMessage);
        Assert.Equal("https://graph.microsoft.us/v1.0", options.GraphBaseUrl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MembershipVisibilityTimeout);
    }

    [Fact]
    public void TeamsOptions_Defaults_AreTheDocumentedOnes()
    {
        var options = new TeamsOptions();

        Assert.False(options.IsConfigured);
        Assert.Equal("https://teams.microsoft.com", options.InviteRedirectUrl);
        Assert.True(options.SendInvitationMessage);
        Assert.Equal("https://graph.microsoft.com/v1.0", options.GraphBaseUrl);
        Assert.Equal("https://login.microsoftonline.com/", options.AuthorityHost);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.Equal(3, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.MembershipVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), options.MembershipVisibilityRetryDelay);
    }

    [Fact]
    public async Task StartUp_NothingConfigured_WarnsOnceAndStepsFailNamingTheSettings()
    {
        using var host = BuildHost(new Dictionary<string, string?>(), b => b.AddTeams());

        await host.StartAsync(TestContext.Current.CancellationToken);
        var warning = Assert.Single(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
        var context = new TestStepContext(TeamsTestHost.Input("team-1").For(InviteToTeamsStep.Id), host.Services, InviteToTeamsStep.Id);
        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await ((IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance<InviteToTeamsStep>(host.Services)).ExecuteAsync(context, TestContext.Current.CancellationToken));
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.Contains("HyOpps:Teams:TenantId", warning.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Teams:ClientSecret", warning.Message, StringComparison.Ordinal);
        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Teams:ClientId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("User.Invite.All", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_Configured_DoesNotWarn()
    {
        using var host = BuildHost(ValidSettings, b => b.AddTeams());

        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(host.Services.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ClientSecret", null, "HyOpps:Teams:ClientSecret")]
    [InlineData("TenantId", "not a tenant!", "HyOpps:Teams:TenantId")]
    [InlineData("GraphBaseUrl", "graph.microsoft.com", "HyOpps:Teams:GraphBaseUrl")]
    [InlineData("GraphBaseUrl", "http://graph.microsoft.com/v1.0", "HyOpps:Teams:GraphBaseUrl")]
    [InlineData("AuthorityHost", "http://login.microsoftonline.com/", "HyOpps:Teams:AuthorityHost")]
    [InlineData("InviteRedirectUrl", "teams", "HyOpps:Teams:InviteRedirectUrl")]
    [InlineData("Timeout", "00:00:00", "HyOpps:Teams:Timeout")]
    [InlineData("MaxRetryAttempts", "50", "HyOpps:Teams:MaxRetryAttempts")]
    [InlineData("MembershipVisibilityTimeout", "-00:01:00", "HyOpps:Teams:MembershipVisibilityTimeout")]
    public async Task StartUp_MalformedSetting_FailsNamingTheKey(string key, string? value, string expectedKey)
    {
        var settings = new Dictionary<string, string?>(ValidSettings) { [$"HyOpps:Teams:{key}"] = value };
        using var host = BuildHost(settings, b => b.AddTeams());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expectedKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_SectionOverload_NamesTheSectionPath()
    {
        var settings = new Dictionary<string, string?> { ["Integrations:Teams:TenantId"] = "contoso.onmicrosoft.com" };
        using var host = BuildHost(settings, (b, c) => b.AddTeams(c.GetSection("Integrations:Teams")));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Integrations:Teams:ClientId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Integrations:Teams:ClientSecret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartUp_UnknownKey_Fails()
    {
        var settings = new Dictionary<string, string?>(ValidSettings) { ["HyOpps:Teams:ClientSecrte"] = "typo" };
        using var host = BuildHost(settings, b => b.AddTeams());

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("HyOpps:Teams:ClientSecrte is not a setting", ex.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(IReadOnlyDictionary<string, string?> settings, Action<IHyOppsBuilder> addTeams)
        => BuildHost(settings, (b, _) => addTeams(b));

    private static IHost BuildHost(IReadOnlyDictionary<string, string?> settings, Action<IHyOppsBuilder, IConfiguration> addTeams)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddFakeLogging();
        addTeams(builder.Services.AddHyOpps(o => o.RunWorker = false), builder.Configuration);
        return builder.Build();
    }
}
