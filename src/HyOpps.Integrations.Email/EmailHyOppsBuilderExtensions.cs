using HyOpps.Integrations.Email;
using HyOpps.Integrations.Email.Internal;
using HyOpps.Integrations.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the email integration (SMTP through MailKit and the <c>share_documentation</c> step) to HyOpps.</summary>
[HyOppsIntegration("Email", typeof(EmailOptions), "the email integration (SMTP through MailKit and the <c>share_documentation</c> step)")]
public static partial class EmailHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<EmailOptions>, EnvironmentFallbackConfigurer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        IntegrationConfigurationChecks.Add(services, new IntegrationCheck<EmailOptions>(
            "Email", [ShareDocumentationStep.Id], static o => o.IsConfigured,
            static o => [$"{o.SectionPath}:{nameof(EmailOptions.Host)}", $"{o.SectionPath}:{nameof(EmailOptions.From)}"], static o => EmailConfigurationKeys.NotConfiguredMessage(o.SectionPath)));
        services.TryAddSingleton<IEmailSender, MailKitEmailSender>();
        services.TryAddSingleton<IDocumentationEmailTemplate, DefaultDocumentationEmailTemplate>();
        services.TryAddTransient<ShareDocumentationStep>();
    }
}
