using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Slack.Internal;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Slack integration (steps and settings) to HyOpps.</summary>
public static class SlackHyOppsBuilderExtensions
{
    /// <summary>Adds the Slack integration, binding the <c>HyOpps:Slack</c> section of <see cref="IConfiguration"/> when one is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder) => AddSlackCore(builder, section: null, configure: null);

    /// <summary>Adds the Slack integration, binding <c>HyOpps:Slack</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Configures the settings; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder, Action<SlackOptions> configure)
        => AddSlackCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Slack integration bound to a configuration section; unknown keys in it are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Slack")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddSlackCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddSlackCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<SlackOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!IntegrationOptions.Add(services, SlackOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SlackOptions>()
            .PostConfigure<IServiceProvider>(static (options, services) =>
            {
                if (string.IsNullOrEmpty(options.BotToken)
                    && services.GetService<IConfiguration>()?[SlackOptions.BotTokenEnvironmentKey] is { Length: > 0 } token)
                {
                    options.BotToken = token;
                }
            });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        IntegrationConfigurationChecks.Add<SlackConfigurationCheck>(services);
        // Registered by AddHyOpps; shared by every host on the store (HYOPPS0001: experimental).
#pragma warning disable HYOPPS0001
        services.TryAddSingleton(static sp => new SlackUserGroupLocks(sp.GetService<ISharedResourceLocks>()));
#pragma warning restore HYOPPS0001

        IntegrationHttp.AddClient(services, SlackClient.HttpClientName, static (services, http) =>
            {
                var options = services.GetRequiredService<IOptions<SlackOptions>>().Value;
                var baseUrl = options.BaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            })
            .AddTypedClient<SlackClient>(static (http, sp) => new SlackClient(
                http,
                sp.GetRequiredService<IOptions<SlackOptions>>(),
                sp.GetRequiredService<ILogger<SlackClient>>(),
                sp.GetRequiredService<TimeProvider>()))
            .AddResilienceHandler(SlackHttpResilience.PipelineName, static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
                SlackHttpResilience.Configure(pipeline, options, context.ServiceProvider.GetRequiredService<TimeProvider>());
            });

        // The steps' constructors take the internal client, so they are built here rather than by activation.
        services.TryAddTransient(static sp => new AddUserToSlackGroupStep(
            sp.GetRequiredService<SlackClient>(), sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<SlackUserGroupLocks>()));
        services.TryAddTransient(static sp => new RemoveUserFromSlackGroupStep(
            sp.GetRequiredService<SlackClient>(), sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<SlackUserGroupLocks>()));
        return builder;
    }
}
