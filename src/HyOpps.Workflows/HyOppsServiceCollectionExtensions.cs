using HyOpps.Workflows;
using HyOpps.Workflows.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Adds HyOpps to a service collection.</summary>
public static class HyOppsServiceCollectionExtensions
{
    /// <summary>The configuration section <see cref="AddHyOpps(IServiceCollection)"/> binds the runtime's options from.</summary>
    public const string RuntimeSectionName = "HyOpps:Runtime";

    /// <summary>Adds the HyOpps workflow runtime, its options bound from <c>HyOpps:Runtime</c> when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder, for storage, integrations and workflows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>Options are validated when the host starts; an unknown key or a bad value fails start-up naming the key.</remarks>
    public static IHyOppsBuilder AddHyOpps(this IServiceCollection services) => HyOppsRegistration.AddRuntime(services, null, null);

    /// <summary>Adds the HyOpps workflow runtime with its options bound from <paramref name="section"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The section holding the runtime's options.</param>
    /// <returns>The builder, for storage, integrations and workflows.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddHyOpps(this IServiceCollection services, IConfigurationSection section)
        => HyOppsRegistration.AddRuntime(services, section ?? throw new ArgumentNullException(nameof(section)), null);

    /// <summary>Adds the HyOpps workflow runtime, its options bound from <c>HyOpps:Runtime</c> when an <see cref="IConfiguration"/> is registered and then changed by <paramref name="configure"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the runtime's options after configuration is bound.</param>
    /// <returns>The builder, for storage, integrations and workflows.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddHyOpps(this IServiceCollection services, Action<HyOppsOptions> configure)
        => HyOppsRegistration.AddRuntime(services, null, configure ?? throw new ArgumentNullException(nameof(configure)));
}
