using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HyOpps.Workflows.Internal;

internal static class HyOppsRegistration
{
    public static void AddCore(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
    }
}
