using Microsoft.Extensions.Configuration;

namespace HyOpps.SampleHost;

/// <summary>The host's own settings, read from configuration (section "HyOpps").</summary>
public sealed record SampleHostSettings
{
    /// <summary>The configuration sections whose presence means "this integration is configured".</summary>
    public static readonly IReadOnlyList<string> IntegrationSections =
        ["HyOpps:Metabase", "HyOpps:Teams", "HyOpps:Slack", "HyOpps:Atlassian", "HyOpps:Email"];

    /// <summary>The root keys the integrations also read (the original app's environment variables).</summary>
    public static readonly IReadOnlyList<string> IntegrationFallbackKeys = ["SLACK_BOT_TOKEN", "SMTP_HOST"];

    /// <summary>Gets a value indicating whether the host runs against the in-process simulators.</summary>
    public required bool Sandbox { get; init; }

    /// <summary>Gets why the host chose sandbox mode or not (for the start-up log).</summary>
    public required string SandboxReason { get; init; }

    /// <summary>Gets the folder of the two SQLite files (sample.db, hyopps.db); null means a default.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Gets the user name of an admin account created at start-up when missing (HyOpps:BootstrapAdmin:UserName).</summary>
    public string? BootstrapAdminUserName { get; init; }

    /// <summary>Gets that admin's password (HyOpps:BootstrapAdmin:Password).</summary>
    public string? BootstrapAdminPassword { get; init; }

    /// <summary>
    /// Reads the settings. Sandbox mode is chosen, never fallen into: <c>HyOpps:Sandbox=true</c> (the <c>demo</c> command sets it),
    /// or the Development environment with no integration configured. Otherwise a host with no integration configured refuses to
    /// start, naming the settings, so that a mistyped section never onboards people into simulators.
    /// </summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="environmentName">The host's environment, for example <c>Production</c> or <c>Development</c>.</param>
    /// <exception cref="SampleHostSettingsException"><c>HyOpps:Sandbox</c> is not a boolean, or no integration is configured and sandbox mode was not chosen.</exception>
    public static SampleHostSettings From(IConfiguration configuration, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = IntegrationSections.Where(s => configuration.GetSection(s).Exists())
            .Concat(IntegrationFallbackKeys.Where(k => !string.IsNullOrWhiteSpace(configuration[k])))
            .ToArray();
        var forced = configuration["HyOpps:Sandbox"];
        bool sandbox;
        string reason;
        if (!string.IsNullOrWhiteSpace(forced))
        {
            if (!bool.TryParse(forced, out sandbox))
            {
                throw new SampleHostSettingsException($"HyOpps:Sandbox must be true or false (was '{forced}').");
            }

            reason = $"HyOpps:Sandbox is {sandbox.ToString().ToLowerInvariant()}";
        }
        else if (configured.Length > 0)
        {
            sandbox = false;
            reason = "configured: " + string.Join(", ", configured);
        }
        else if (string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
        {
            sandbox = true;
            reason = "the Development environment with no integration configured";
        }
        else
        {
            throw new SampleHostSettingsException(
                $"The HyOpps sample host refuses to start: no integration is configured (none of the sections {string.Join(", ", IntegrationSections)}, "
                + $"nor {string.Join(" or ", IntegrationFallbackKeys)}) and sandbox mode was not chosen (environment '{environmentName}'). "
                + "Configure the integrations to use (for example HyOpps:Slack:BotToken), or set HyOpps:Sandbox=true to run against the "
                + "in-process simulators; the Development environment and the demo command choose sandbox mode themselves.");
        }

        return new SampleHostSettings
        {
            Sandbox = sandbox,
            SandboxReason = reason,
            DataDirectory = configuration["HyOpps:DataDirectory"],
            BootstrapAdminUserName = configuration["HyOpps:BootstrapAdmin:UserName"],
            BootstrapAdminPassword = configuration["HyOpps:BootstrapAdmin:Password"],
        };
    }
}
