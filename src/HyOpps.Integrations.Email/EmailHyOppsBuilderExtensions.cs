using HyOpps.Integrations.Email;
using HyOpps.Integrations.Email.Internal;

namespace HyOpps;

/// <summary>Adds the email integration (SMTP through MailKit and the <c>share_documentation</c> step) to HyOpps.</summary>
[HyOppsIntegration("Email", typeof(EmailOptions), "the email integration (SMTP through MailKit and the <c>share_documentation</c> step)", Validator = typeof(EmailOptionsValidator))]
public static partial class EmailHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EmailOptions>, EnvironmentFallbackConfigurer>());
        services.TryAddSingleton<IEmailSender, MailKitEmailSender>();
        services.TryAddSingleton<IDocumentationEmailTemplate, DefaultDocumentationEmailTemplate>();
    }
}
