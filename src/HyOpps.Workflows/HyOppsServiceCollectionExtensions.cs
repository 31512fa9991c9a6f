using HyOpps.Workflows;
using HyOpps.Workflows.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Adds HyOpps to a service collection.</summary>
public static class HyOppsServiceCollectionExtensions
{
    /// <summary>Adds the HyOpps workflow runtime and returns a builder for storage, integrations and workflows.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddHyOpps(this IServiceCollection services) => services.AddHyOpps(static _ => { });

    /// <summary>Adds the HyOpps workflow runtime with options and returns a builder for storage, integrations and workflows.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the runtime options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddHyOpps(this IServiceCollection services, Action<HyOppsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HyOppsOptions>().Configure(configure);
        HyOppsRegistration.AddCore(services);
        return new HyOppsBuilder(services);
    }
}
