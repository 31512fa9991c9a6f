using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Slack.Internal;
using Microsoft.Extensions.Configuration;

namespace HyOpps;

/// <summary>Adds the Slack integration (steps and settings) to HyOpps.</summary>
[HyOppsIntegration("Slack", typeof(SlackOptions), "the Slack integration (steps and settings)", Validator = typeof(SlackOptionsValidator))]
public static partial class SlackHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
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

        // The generated registration builds the steps with this connection (their constructors are internal).
        services.TryAddTransient(static sp => new SlackConnection(
            sp.GetRequiredService<SlackClient>(), sp.GetRequiredService<IOptions<SlackOptions>>(), sp.GetRequiredService<SlackUserGroupLocks>()));
    }
}
