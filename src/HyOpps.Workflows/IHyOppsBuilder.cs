using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Configures HyOpps: storage, integrations and workflows, through extension methods.</summary>
public interface IHyOppsBuilder
{
    /// <summary>Gets the service collection that HyOpps registers its services into.</summary>
    IServiceCollection Services { get; }
}
