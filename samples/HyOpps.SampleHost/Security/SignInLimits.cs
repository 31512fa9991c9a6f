using System.Globalization;

namespace HyOpps.SampleHost.Security;

/// <summary>How often sign-in may be tried (per client address and per account) and when repeated failures lock an account (section HyOpps:SignIn).</summary>
public sealed record SignInLimits
{
    /// <summary>The configuration section these limits are read from.</summary>
    public const string Section = "HyOpps:SignIn";

    /// <summary>Gets how many sign-in attempts one client address may make per <see cref="Window"/>. The default value is 20.</summary>
    public int PermitsPerAddress { get; init; } = 20;

    /// <summary>Gets how many sign-in attempts may name one user name per <see cref="Window"/>. The default value is 10.</summary>
    public int PermitsPerAccount { get; init; } = 10;

    /// <summary>Gets the rate limits' window. The default value is one minute.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets how many wrong passwords in a row lock an account. The default value is 5.</summary>
    public int MaxFailedSignIns { get; init; } = 5;

    /// <summary>Gets how long a lockout lasts. The default value is 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Reads the limits; a value that is not a positive number (or time span) fails naming its key.</summary>
    public static SignInLimits From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var defaults = new SignInLimits();
        return new SignInLimits
        {
            PermitsPerAddress = Count(section, nameof(PermitsPerAddress), defaults.PermitsPerAddress),
            PermitsPerAccount = Count(section, nameof(PermitsPerAccount), defaults.PermitsPerAccount),
            Window = Span(section, nameof(Window), defaults.Window),
            MaxFailedSignIns = Count(section, nameof(MaxFailedSignIns), defaults.MaxFailedSignIns),
            LockoutDuration = Span(section, nameof(LockoutDuration), defaults.LockoutDuration),
        };
    }

    private static int Count(IConfigurationSection section, string key, int fallback)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{Section}:{key} must be a positive whole number (was '{raw}').");
    }

    private static TimeSpan Span(IConfigurationSection section, string key, TimeSpan fallback)
    {
        var raw = section[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }

        return TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"{Section}:{key} must be a positive time span such as 00:15:00 (was '{raw}').");
    }
}
