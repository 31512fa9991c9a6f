using HyOpps.Dashboard;
using HyOpps.Dashboard.Internal;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Mounts the HyOpps dashboard in an ASP.NET Core app.</summary>
public static class HyOppsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>Maps the dashboard pages under <paramref name="prefix"/> with default options.</summary>
    /// <param name="endpoints">The app's endpoint route builder.</param>
    /// <param name="prefix">The path the dashboard lives under, for example <c>/hyopps</c>.</param>
    /// <returns>The route group, so the host can add <c>.RequireAuthorization(...)</c> and other conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="InvalidOperationException">HyOpps or the antiforgery services are not registered.</exception>
    public static RouteGroupBuilder MapHyOppsDashboard(this IEndpointRouteBuilder endpoints, string prefix)
        => endpoints.MapHyOppsDashboard(prefix, static _ => { });

    /// <summary>Maps the dashboard pages under <paramref name="prefix"/> with options for this mount.</summary>
    /// <param name="endpoints">The app's endpoint route builder.</param>
    /// <param name="prefix">The path the dashboard lives under, for example <c>/hyopps</c>; it may hold route parameters.</param>
    /// <param name="configure">Configures the title, the caller's scope, who may operate, and branding.</param>
    /// <returns>The route group, so the host can add <c>.RequireAuthorization(...)</c> and other conventions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="InvalidOperationException">HyOpps or the dashboard's services are not registered, or an option is out of range.</exception>
    /// <remarks>
    /// The dashboard does no authentication of its own: protect the returned group with <c>.RequireAuthorization(...)</c>.
    /// A mount with no authorization (and no fallback policy) fails when the app starts, unless
    /// <see cref="HyOppsDashboardOptions.AllowAnonymous"/> is set. Every action is a POST form whose antiforgery token the
    /// dashboard validates itself (<see cref="HyOppsDashboardServiceCollectionExtensions.AddHyOppsDashboard"/> registers the
    /// services); the antiforgery middleware is not needed.
    /// </remarks>
    public static RouteGroupBuilder MapHyOppsDashboard(this IEndpointRouteBuilder endpoints, string prefix, Action<HyOppsDashboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(configure);

        var services = endpoints.ServiceProvider.GetService<IServiceProviderIsService>();
        if (services is not null && (!services.IsService(typeof(IAntiforgery)) || !services.IsService(typeof(DashboardMounts))))
        {
            throw new InvalidOperationException(
                "The HyOpps dashboard's services (antiforgery for its forms, the start-up authorization check) are not registered. "
                + "Call builder.Services.AddHyOppsDashboard() before building the app.");
        }

        if (services is not null && !services.IsService(typeof(IWorkflowClient)))
        {
            throw new InvalidOperationException("The HyOpps dashboard needs the HyOpps runtime. Call builder.Services.AddHyOpps()...UseSqlite(...) before building the app.");
        }

        var options = new HyOppsDashboardOptions();
        configure(options);
        Validate(options);

        var pattern = RoutePatternFactory.Parse(prefix);
        var group = endpoints.MapGroup(pattern);
        new DashboardEndpoints(options, pattern).Map(group);
        group.ExcludeFromDescription();
        var mount = new DashboardMount(prefix, options.AllowAnonymous);
        group.WithMetadata(mount);
        endpoints.ServiceProvider.GetService<DashboardMounts>()?.Add(mount, endpoints);
        return group;
    }

    private static void Validate(HyOppsDashboardOptions options)
    {
        if (options.PageSize is < 1 or > 500)
        {
            throw new InvalidOperationException($"HyOppsDashboardOptions.PageSize must be between 1 and 500 (was {options.PageSize}).");
        }

        if (options.RefreshInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"HyOppsDashboardOptions.RefreshInterval must not be negative (was {options.RefreshInterval}).");
        }

        if (options.ScopeLabels is null || options.CanOperate is null || options.GetActor is null || options.Title is null || options.BackLinkText is null)
        {
            throw new InvalidOperationException("HyOppsDashboardOptions.Title, BackLinkText, ScopeLabels, CanOperate and GetActor must not be null.");
        }
    }
}
