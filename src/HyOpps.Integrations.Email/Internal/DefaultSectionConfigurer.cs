using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Binds <c>HyOpps:Email</c> when the host registered an <see cref="IConfiguration"/>.</summary>
internal sealed class DefaultSectionConfigurer(IServiceProvider services) : IConfigureOptions<EmailOptions>
{
    public void Configure(EmailOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            EmailOptionsBinder.Bind(configuration.GetSection(EmailOptions.DefaultSectionName), options);
        }
    }
}
