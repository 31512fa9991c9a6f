using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>Reads <c>ConnectionStrings:HyOpps</c> and binds <c>HyOpps:Sqlite</c>, refusing keys the options do not have.</summary>
internal sealed class ConfigureSqliteFromConfiguration(IConfiguration? configuration) : IConfigureOptions<SqliteStoreOptions>
{
    public void Configure(SqliteStoreOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        if (configuration.GetConnectionString(SqliteHyOppsBuilderExtensions.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }

        var section = configuration.GetSection(SqliteHyOppsBuilderExtensions.SectionName);
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(section.Path, typeof(SqliteStoreOptions), [$"{section.Path}: {ex.Message}"]);
        }
    }
}
