using HyOpps.Integrations.Email;
using HyOpps.Integrations.Email.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the email integration (SMTP through MailKit and the <c>share_documentation</c> step) to HyOpps.</summary>
public static class EmailHyOppsBuilderExtensions
{
    /// <summary>Adds the email integration, binding <c>HyOpps:Email</c> of the registered <see cref="IConfiguration"/> when there is one.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmail(this IHyOppsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddCore(builder.Services, EmailOptions.DefaultSectionName);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<EmailOptions>, DefaultSectionConfigurer>());
        return builder;
    }

    /// <summary>Adds the email integration configured in code.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmail(this IHyOppsBuilder builder, Action<EmailOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(builder.Services, EmailOptions.DefaultSectionName);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the email integration bound to a configuration section.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section holding the options, for example <c>configuration.GetSection("Email")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmail(this IHyOppsBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AddCore(builder.Services, section.Path);
        builder.Services.Configure<EmailOptions>(options => EmailOptionsBinder.Bind(section, options));
        return builder;
    }

    private static void AddCore(IServiceCollection services, string sectionPath)
    {
        services.TryAddSingleton(new EmailSectionPath(sectionPath));
        services.AddOptions<EmailOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EmailOptions>, EnvironmentFallbackConfigurer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, EmailConfigurationCheck>());
        services.TryAddSingleton<IEmailSender, MailKitEmailSender>();
        services.TryAddSingleton<IDocumentationEmailTemplate, DefaultDocumentationEmailTemplate>();
        services.TryAddTransient<ShareDocumentationStep>();
    }
}
