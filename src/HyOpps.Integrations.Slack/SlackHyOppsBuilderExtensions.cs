using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Slack.Internal;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Slack integration (client, steps, simulator-friendly settings) to HyOpps.</summary>
public static class SlackHyOppsBuilderExtensions
{
    /// <summary>Adds the Slack integration, binding the <c>HyOpps:Slack</c> section of <see cref="IConfiguration"/> when one is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SlackOptions>().Configure<IServiceProvider>(static (options, services) =>
        {
            if (services.GetService<IConfiguration>() is { } configuration)
            {
                configuration.GetSection(SlackOptions.DefaultSectionName).Bind(options, static b => b.ErrorOnUnknownConfiguration = true);
            }
        });
        return AddSlackCore(builder);
    }

    /// <summary>Adds the Slack integration configured by code.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Configures the settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder, Action<SlackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SlackOptions>().Configure(configure);
        return AddSlackCore(builder);
    }

    /// <summary>Adds the Slack integration bound to a configuration section; unknown keys in it are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Slack")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlack(this IHyOppsBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<SlackOptions>()
            .Bind(section, static b => b.ErrorOnUnknownConfiguration = true)
            .Configure(options => options.SectionPath = section.Path);
        return AddSlackCore(builder);
    }

    private static IHyOppsBuilder AddSlackCore(IHyOppsBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(SlackMarker)))
        {
            return builder;
        }

        services.AddSingleton<SlackMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SlackOptions>()
            .PostConfigure<IServiceProvider>(static (options, services) =>
            {
                if (string.IsNullOrEmpty(options.BotToken)
                    && services.GetService<IConfiguration>()?[SlackOptions.BotTokenEnvironmentKey] is { Length: > 0 } token)
                {
                    options.BotToken = token;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SlackConfigurationCheck>());
        // Registered by AddHyOpps; shared by every host on the store (HYOPPS0001: experimental).
#pragma warning disable HYOPPS0001
        services.TryAddSingleton(static sp => new SlackUserGroupLocks(sp.GetService<ISharedResourceLocks>()));
#pragma warning restore HYOPPS0001

        services.AddHttpClient<SlackClient>(SlackClient.HttpClientName, static (services, http) =>
            {
                var options = services.GetRequiredService<IOptions<SlackOptions>>().Value;
                var baseUrl = options.BaseUrl.ToString();
                http.BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");

                // The resilience pipeline times each attempt; the caller's token bounds the whole call.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The factory's default loggers put raw header values (the Bearer token) into the structured state of their
            // Trace records, even when the message is redacted; the client logs each call itself, without secrets.
            .RemoveAllLoggers()
            .RedactLoggedHeaders(static _ => true)
            .AddResilienceHandler(SlackHttpResilience.PipelineName, static (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<SlackOptions>>().Value;
                SlackHttpResilience.Configure(pipeline, options, context.ServiceProvider.GetRequiredService<TimeProvider>());
            });

        services.TryAddTransient<AddUserToSlackGroupStep>();
        services.TryAddTransient<RemoveUserFromSlackGroupStep>();
        return builder;
    }
}
