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

    /// <summary>Reads the settings; sandbox mode is on when HyOpps:Sandbox says so, or when it is unset and no integration is configured.</summary>
    public static SampleHostSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = IntegrationSections.Where(s => configuration.GetSection(s).Exists())
            .Concat(IntegrationFallbackKeys.Where(k => !string.IsNullOrWhiteSpace(configuration[k])))
            .ToArray();
        var forced = configuration["HyOpps:Sandbox"];
        bool sandbox;
        string reason;
        if (string.IsNullOrWhiteSpace(forced))
        {
            sandbox = configured.Length == 0;
            reason = sandbox
                ? "no integration is configured (none of " + string.Join(", ", IntegrationSections) + ")"
                : "configured: " + string.Join(", ", configured);
        }
        else if (bool.TryParse(forced, out var value))
        {
            sandbox = value;
            reason = $"HyOpps:Sandbox is {value.ToString().ToLowerInvariant()}";
        }
        else
        {
            throw new InvalidOperationException($"HyOpps:Sandbox must be true or false (was '{forced}').");
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
