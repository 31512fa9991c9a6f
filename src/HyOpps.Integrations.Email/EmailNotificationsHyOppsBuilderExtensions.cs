using HyOpps.Integrations.Email;
using HyOpps.Integrations.Email.Internal;

namespace HyOpps;

/// <summary>Adds email execution notifications (<see cref="EmailExecutionNotifier"/>, named <c>email</c>) to HyOpps.</summary>
/// <remarks>The mail goes through the email integration's SMTP settings; <c>AddEmail()</c> is added when it is not yet.</remarks>
[HyOppsIntegration(
    "EmailNotifications",
    typeof(EmailNotificationOptions),
    "email execution notifications (sent through the email integration's SMTP settings; <c>AddEmail()</c> is added when it is not yet)",
    Validator = typeof(EmailNotificationOptionsValidator))]
public static partial class EmailNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the email notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "email";

    private static void AddServices(IHyOppsBuilder builder)
    {
        if (!builder.Services.Any(static d => d.ServiceType == typeof(IEmailSender)))
        {
            builder.AddEmail();
        }

        builder.Services.TryAddSingleton<EmailExecutionNotifier>();
        builder.AddNotifier(NotifierName, static sp => sp.GetRequiredService<EmailExecutionNotifier>());
    }
}
