using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Binds <see cref="MetabaseOptions"/> from a configuration section; unknown keys are errors.</summary>
internal sealed class MetabaseConfigurationBinder(IConfiguration? configuration, string sectionPath) : IConfigureOptions<MetabaseOptions>
{
    public void Configure(MetabaseOptions options)
    {
        options.SectionPath = sectionPath;
        if (configuration is null)
        {
            return;
        }

        var section = configuration is IConfigurationSection s && s.Path == sectionPath ? s : configuration.GetSection(sectionPath);
        section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
    }
}
