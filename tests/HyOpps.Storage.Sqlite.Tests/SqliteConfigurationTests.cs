using HyOpps.Storage.Sqlite;
using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Storage.Sqlite.Tests;

public sealed class SqliteConfigurationTests
{
    [Fact]
    public async Task UseSqlite_ReadsConnectionStringsHyOppsAndTheHyOppsSqliteSection()
    {
        using var database = new TestDatabase();
        await using var provider = Build(s => s.AddHyOpps().UseSqlite(), ("ConnectionStrings:HyOpps", database.ConnectionString), ("HyOpps:Sqlite:MaxBatchSize", "64"), ("HyOpps:Sqlite:Synchronous", "Normal"));

        var options = provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        await provider.GetRequiredService<IWorkflowStore>().InitializeAsync(TestContext.Current.CancellationToken);

        Assert.Equal((database.ConnectionString, 64, SqliteSynchronousMode.Normal), (options.ConnectionString, options.MaxBatchSize, options.Synchronous));
        Assert.True(File.Exists(database.Path));
    }

    [Fact]
    public void UseSqlite_NoConnectionString_FailsAtStartNamingTheKey()
    {
        using var provider = Build(s => s.AddHyOpps().UseSqlite());

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ConnectionStrings:HyOpps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqlite_UnknownOrBadKey_FailsAtStartNamingIt()
    {
        using var unknown = Build(s => s.AddHyOpps().UseSqlite(), ("ConnectionStrings:HyOpps", "Data Source=x.db"), ("HyOpps:Sqlite:BatchSize", "64"));
        using var bad = Build(s => s.AddHyOpps().UseSqlite(), ("ConnectionStrings:HyOpps", "Data Source=x.db"), ("HyOpps:Sqlite:MaxBatchSize", "0"));

        var unknownError = Assert.Throws<OptionsValidationException>(() => unknown.GetRequiredService<IStartupValidator>().Validate());
        var badError = Assert.Throws<OptionsValidationException>(() => bad.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Sqlite", unknownError.Message, StringComparison.Ordinal);
        Assert.Contains("BatchSize", unknownError.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Sqlite:MaxBatchSize must be at least 1 (was '0')", badError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseSqlite_Action_WinsOverConfiguration()
    {
        using var provider = Build(s => s.AddHyOpps().UseSqlite(o => o.ConnectionString = "Data Source=code.db"), ("ConnectionStrings:HyOpps", "Data Source=config.db"));

        Assert.Equal("Data Source=code.db", provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.ConnectionString);
    }

    private static ServiceProvider Build(Action<IServiceCollection> add, params (string Key, string Value)[] values)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());
        add(services);
        return services.BuildServiceProvider();
    }
}
