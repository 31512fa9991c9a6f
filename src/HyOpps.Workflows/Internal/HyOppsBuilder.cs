using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Internal;

internal sealed record HyOppsBuilder(IServiceCollection Services) : IHyOppsBuilder;
