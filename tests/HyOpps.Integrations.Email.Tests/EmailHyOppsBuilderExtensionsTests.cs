using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Email.Internal;
using HyOpps.Testing.Smtp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Email.Tests;

public sealed class EmailHyOppsBuilderExtensionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["HyOpps:Email:Host"] = "smtp.example.com",
        ["HyOpps:Email:From"] = "HyOpps <noreply@example.com>",
    };

    [Fact]
    public void AddEmail_NullArguments_Throw()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Throws<ArgumentNullException>(() => EmailHyOppsBuilderExtensions.AddEmail(null!));
        Assert.Throws<ArgumentNullException>(() => EmailHyOppsBuilderExtensions.AddEmail(null!, _ => { }));
        Assert.Throws<ArgumentNullException>(() => EmailHyOppsBuilderExtensions.AddEmail(null!, new ConfigurationBuilder().Build().GetSection("Email")));
        Assert.Throws<ArgumentNullException>(() => builder.AddEmail((Action<EmailOptions>)null!));
        Assert.Throws<ArgumentNullException>(() => builder.AddEmail((IConfigurationSection)null!));
    }

    [Fact]
    public void AddEmail_EachOverload_ReturnsTheSameBuilder()
    {
        var builder = new ServiceCollection().AddHyOpps();

        Assert.Same(builder, builder.AddEmail());
        Assert.Same(builder, builder.AddEmail(_ => { }));
        Assert.Same(builder, builder.AddEmail(new ConfigurationBuilder().Build().GetSection("Email")));
    }

    [Fact]
    public void AddEmail_CalledTwice_RegistersServicesOnce()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().AddEmail().AddEmail().AddEmail(_ => { });

        Assert.Single(services, d => d.ServiceType == typeof(IEmailSender));
        Assert.Single(services, d => d.ServiceType == typeof(IDocumentationEmailTemplate));
        Assert.Single(services, d => d.ServiceType == typeof(ShareDocumentationStep) && d.Lifetime == ServiceLifetime.Transient);
        Assert.Single(services, d => d.ServiceType == typeof(IntegrationConfigurationCheck<EmailOptions>));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<EmailOptions>) && d.ImplementationType == typeof(EmailOptionsValidator));
    }

    [Fact]
    public void AddEmail_DefaultSection_BindsEveryKey()
    {
        using var provider = Build(new()
        {
            ["HyOpps:Email:Host"] = "smtp.example.com",
            ["HyOpps:Email:Port"] = "2525",
            ["HyOpps:Email:Security"] = "StartTls",
            ["HyOpps:Email:UserName"] = "mailer",
            ["HyOpps:Email:Password"] = "pw-1234",
            ["HyOpps:Email:From"] = "HyOpps <noreply@example.com>",
            ["HyOpps:Email:Timeout"] = "00:00:05",
            ["HyOpps:Email:AcceptUntrustedCertificates"] = "true",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.True(options.IsConfigured);
        Assert.Equal("smtp.example.com", options.Host);
        Assert.Equal(2525, options.Port);
        Assert.Equal(SmtpSecurity.StartTls, options.Security);
        Assert.Equal("mailer", options.UserName);
        Assert.Equal("pw-1234", options.Password);
        Assert.Equal("HyOpps <noreply@example.com>", options.From);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
        Assert.True(options.AcceptUntrustedCertificates);
    }

    [Fact]
    public void EmailOptions_Defaults_AreDocumentedValues()
    {
        var options = new EmailOptions();

        Assert.False(options.IsConfigured);
        Assert.Equal(SmtpSecurity.Auto, options.Security);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Timeout);
        Assert.False(options.AcceptUntrustedCertificates);
        Assert.Equal(587, options.EffectivePort);
        Assert.Equal(465, new EmailOptions { Security = SmtpSecurity.SslOnConnect }.EffectivePort);
        Assert.Equal(25, new EmailOptions { Security = SmtpSecurity.None }.EffectivePort);
    }

    [Fact]
    public void AddEmail_WithoutAnyConfiguration_StartsNotConfigured()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().AddEmail();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.False(provider.GetRequiredService<IOptions<EmailOptions>>().Value.IsConfigured);
    }

    [Fact]
    public void AddEmail_CustomSection_BindsItAndNamesItInErrors()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:Smtp:Host"] = "smtp.example.com",
            ["Mail:Smtp:Port"] = "not-a-port",
            ["Mail:Smtp:From"] = "noreply@example.com",
        }).Build();
        var services = new ServiceCollection();
        services.AddHyOpps().AddEmail(configuration.GetSection("Mail:Smtp"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Mail:Smtp:Port", ex.Message);
    }

    [Fact]
    public void AddEmail_RootEnvironmentKeys_FillUnsetSettings()
    {
        using var provider = Build(new()
        {
            ["SMTP_HOST"] = "smtp.legacy.example",
            ["SMTP_PORT"] = "2587",
            ["SMTP_USER"] = "legacy-user",
            ["SMTP_PASSWORD"] = "legacy-pw",
            ["EMAIL_FROM"] = "HyOpps <noreply@legacy.example>",
        });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal("smtp.legacy.example", options.Host);
        Assert.Equal(2587, options.Port);
        Assert.Equal("legacy-user", options.UserName);
        Assert.Equal("legacy-pw", options.Password);
        Assert.Equal("HyOpps <noreply@legacy.example>", options.From);
    }

    [Fact]
    public void AddEmail_SectionAndEnvironmentKeys_SectionWins()
    {
        using var provider = Build(new()
        {
            ["HyOpps:Email:Host"] = "smtp.section.example",
            ["HyOpps:Email:From"] = "section@example.com",
            ["SMTP_HOST"] = "smtp.legacy.example",
            ["SMTP_PORT"] = "2587",
            ["EMAIL_FROM"] = "legacy@example.com",
        });

        var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
        Assert.Equal("smtp.section.example", options.Host);
        Assert.Equal("section@example.com", options.From);
        Assert.Equal(2587, options.Port);
    }

    [Fact]
    public void AddEmail_RealEnvironmentVariables_AreHonoured()
    {
        // A unique prefix keeps this test's variables away from every other test; the provider strips it.
        var prefix = $"HYOPPS_EMAIL_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "SMTP_HOST", "smtp.env.example");
        Environment.SetEnvironmentVariable(prefix + "EMAIL_FROM", "env@example.com");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();
            var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
            services.AddHyOpps().AddEmail();
            using var provider = services.BuildServiceProvider();

            var options = provider.GetRequiredService<IOptions<EmailOptions>>().Value;
            Assert.Equal("smtp.env.example", options.Host);
            Assert.Equal("env@example.com", options.From);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "SMTP_HOST", null);
            Environment.SetEnvironmentVariable(prefix + "EMAIL_FROM", null);
        }
    }

    [Theory]
    [InlineData("HyOpps:Email:Port", "70000", "HyOpps:Email:Port (or SMTP_PORT) must be between 1 and 65535 (was 70000)")]
    [InlineData("HyOpps:Email:Port", "abc", "HyOpps:Email:Port")]
    [InlineData("SMTP_PORT", "abc", "SMTP_PORT 'abc' is not a port number")]
    [InlineData("HyOpps:Email:From", "not an address", "HyOpps:Email:From (or EMAIL_FROM) 'not an address' is not an email address")]
    [InlineData("HyOpps:Email:Host", "smtp://smtp.example.com:587", "HyOpps:Email:Host (or SMTP_HOST) 'smtp://smtp.example.com:587' is not a host name")]
    [InlineData("HyOpps:Email:Security", "Tls", "HyOpps:Email:Security")]
    [InlineData("HyOpps:Email:Timeout", "00:00:00", "HyOpps:Email:Timeout must be more than 0")]
    [InlineData("HyOpps:Email:UserName", "mailer", "HyOpps:Email:Password (or SMTP_PASSWORD) is required when HyOpps:Email:UserName is set")]
    [InlineData("HyOpps:Email:Password", "pw-only", "HyOpps:Email:UserName (or SMTP_USER) is required when HyOpps:Email:Password is set")]
    [InlineData("HyOpps:Email:Hots", "typo.example.com", "Hots")]
    [InlineData("HyOpps:Email:ServerCertificateSha256", "not-hex", "HyOpps:Email:ServerCertificateSha256 must be the SHA-256 fingerprint")]
    [InlineData("HyOpps:Email:ServerCertificateSha256", "ABCD", "HyOpps:Email:ServerCertificateSha256 must be the SHA-256 fingerprint")]
    [InlineData("HyOpps:Email:TrustedCaFile", "no-such-ca.pem", "HyOpps:Email:TrustedCaFile 'no-such-ca.pem' does not exist")]
    public void AddEmail_MalformedSetting_FailsStartupNamingTheKey(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };
        using var provider = Build(settings);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain("pw-only", ex.Message);
    }

    [Fact]
    public void AddEmail_HostWithoutFrom_FailsStartupNamingFrom()
    {
        using var provider = Build(new() { ["HyOpps:Email:Host"] = "smtp.example.com" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Email:From (or EMAIL_FROM) is required when HyOpps:Email:Host is set", ex.Message);
    }

    [Fact]
    public async Task StartAsync_NotConfigured_LogsOneWarningNamingTheSettings()
    {
        using var provider = Build([]);

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        var warning = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Level == LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
        Assert.Contains("SMTP is not configured: set HyOpps:Email:Host (or SMTP_HOST) and HyOpps:Email:From (or EMAIL_FROM)", warning.Message);
        Assert.Contains("share_documentation", warning.Message);
    }

    [Fact]
    public async Task StartAsync_Configured_LogsNoWarning()
    {
        using var provider = Build(Valid);

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(TestContext.Current.CancellationToken);
        }

        Assert.DoesNotContain(provider.GetFakeLogCollector().GetSnapshot(), r => r.Level >= LogLevel.Warning && !r.Category!.StartsWith("HyOpps.Workflows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEmail_InAHost_StartsWithAWarningWhenNotConfiguredAndFailsWhenMalformed()
    {
        using (var host = CreateHost([]))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        using var bad = CreateHost(new Dictionary<string, string?>(Valid) { ["HyOpps:Email:Port"] = "0" });
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => bad.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("HyOpps:Email:Port", ex.Message);
    }

    [Fact]
    public void AddEmail_TemplateRegisteredFirst_IsKept()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IDocumentationEmailTemplate, NullTemplate>();
        services.AddHyOpps().AddEmail();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<NullTemplate>(provider.GetRequiredService<IDocumentationEmailTemplate>());
    }

    [Fact]
    public async Task AddEmail_ActionOverload_ConfiguresASenderThatWorks()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        services.AddHyOpps().AddEmail(o => (o.Host, o.Port, o.Security, o.From) = (smtp.Host, smtp.Port, SmtpSecurity.None, "a@example.com"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var message = new MimeKit.MimeMessage { Subject = "hi" };
        message.To.Add(MimeKit.MailboxAddress.Parse("b@example.com"));
        message.Body = new MimeKit.TextPart("plain") { Text = "hello" };
        var result = await provider.GetRequiredService<IEmailSender>().SendAsync(message, TestContext.Current.CancellationToken);

        var received = await smtp.WaitForMessageAsync(EmailTestHost.Wait, TestContext.Current.CancellationToken);
        Assert.Equal("a@example.com", received.EnvelopeFrom);
        Assert.Equal(received.MessageId, result.MessageId);
        Assert.Equal(["b@example.com"], result.Recipients);
        Assert.False(string.IsNullOrWhiteSpace(result.ServerResponse));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddFakeLogging());
        services.AddHyOpps().AddEmail();
        return services.BuildServiceProvider();
    }

    private static IHost CreateHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddHyOpps().AddEmail();
        return builder.Build();
    }

    private sealed class NullTemplate : IDocumentationEmailTemplate
    {
        public ValueTask<DocumentationEmailContent> RenderAsync(DocumentationEmailModel model, CancellationToken cancellationToken)
            => ValueTask.FromResult(new DocumentationEmailContent("s", "h", "t"));
    }
}
