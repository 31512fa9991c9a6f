using HyOpps.Integrations.Email;
using HyOpps.Integrations.Email.Internal;
using HyOpps.Integrations.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds email execution notifications (<see cref="EmailExecutionNotifier"/>, named <c>email</c>) to HyOpps.</summary>
/// <remarks>The mail goes through the email integration's SMTP settings; <c>AddEmail()</c> is added when it is not yet.</remarks>
public static class EmailNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the email notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "email";

    /// <summary>Adds email notifications, binding <c>HyOpps:EmailNotifications</c> of the registered <see cref="IConfiguration"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmailNotifications(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds email notifications, binding <c>HyOpps:EmailNotifications</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the options, for example the recipients; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmailNotifications(this IHyOppsBuilder builder, Action<EmailNotificationOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds email notifications bound to a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section holding the options, for example <c>configuration.GetSection("Notifications:Email")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddEmailNotifications(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<EmailNotificationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(static d => d.ServiceType == typeof(IEmailSender)))
        {
            builder.AddEmail();
        }

        if (!IntegrationOptions.Add(services, EmailNotificationOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailNotificationOptions>, EmailNotificationOptionsValidator>());
        services.TryAddSingleton<EmailExecutionNotifier>();
        return builder.AddNotifier(NotifierName, static sp => sp.GetRequiredService<EmailExecutionNotifier>());
    }
}
