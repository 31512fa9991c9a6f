using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Binds options from a configuration section, refusing keys the options do not have; errors name the section.</summary>
internal sealed class BindSection<TOptions>(Func<IConfiguration?> section) : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        if (section() is not { } configuration || (configuration is IConfigurationSection s && !s.Exists()))
        {
            return;
        }

        try
        {
            configuration.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            var path = (configuration as IConfigurationSection)?.Path ?? "(configuration root)";

            // The binder names the key of a value it cannot convert, but not the value, and not the section of an unknown key.
            throw new OptionsValidationException(path, typeof(TOptions), [$"{path}: {ex.Message}{Values(configuration, ex.Message)}"]);
        }
    }

    private static string Values(IConfiguration configuration, string message)
    {
        foreach (var pair in configuration.AsEnumerable())
        {
            if (pair.Value is not null && message.Contains($"'{pair.Key}'", StringComparison.Ordinal))
            {
                return $" (value '{pair.Value}')";
            }
        }

        return string.Empty;
    }
}
