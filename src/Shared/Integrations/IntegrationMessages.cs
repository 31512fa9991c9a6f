namespace HyOpps.Integrations.Shared;

/// <summary>The wording every integration shares for settings: keys by full path, values quoted, secrets never shown.</summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal static class IntegrationMessages
{
    /// <summary>Gets the full key of a setting, for example <c>HyOpps:Slack:BotToken</c>.</summary>
    public static string Key(string sectionPath, string setting) => $"{sectionPath}:{setting}";

    /// <summary>Gets "Slack is not configured: set HyOpps:Slack:BotToken ..." for an integration with no settings.</summary>
    public static string NotConfigured(string integration, string whatToSet) => $"{integration} is not configured: set {whatToSet}.";

    /// <summary>Gets "HyOpps:X:Timeout must be between A and B (was V)."</summary>
    public static string OutOfRange<T>(string key, T value, T min, T max)
        => $"{key} must be between {min} and {max} (was {value}).";

    /// <summary>Adds a range error naming the key and value when <paramref name="value"/> is outside [min, max].</summary>
    public static void CheckRange<T>(List<string> errors, string key, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            errors.Add(OutOfRange(key, value, min, max));
        }
    }
}
