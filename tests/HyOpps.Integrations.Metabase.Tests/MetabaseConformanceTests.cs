using HyOpps.Testing.Metabase;
using HyOpps.Workflows.Testing.Integrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseConformanceTests : IntegrationConformanceTests<MetabaseOptions>
{
    private readonly MetabaseSimulator _metabase = new();

    protected override string DefaultSectionName => MetabaseOptions.DefaultSectionName;

    protected override IReadOnlyDictionary<string, string?> ValidSettings => new Dictionary<string, string?>
    {
        ["BaseUrl"] = _metabase.BaseAddress.ToString(),
        ["ApiKey"] = _metabase.ApiKey,
        ["RetryDelay"] = "00:00:00.010",
    };

    protected override IReadOnlyCollection<string> SecretKeys => ["ApiKey"];

    protected override (string Key, string Value) InvalidSetting => ("MaxRetryAttempts", "99");

    protected override IReadOnlyList<Type> StepTypes =>
        [typeof(CreateMetabaseAccountStep), typeof(AddUserToMetabaseGroupStep), typeof(RemoveUserFromMetabaseGroupStep), typeof(DeactivateMetabaseAccountStep)];

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder) => builder.AddMetabase();

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, IConfigurationSection section) => builder.AddMetabase(section);

    protected override IHyOppsBuilder AddIntegration(IHyOppsBuilder builder, Action<MetabaseOptions> configure) => builder.AddMetabase(configure);

    public override async ValueTask InitializeAsync() => await _metabase.StartAsync(TestContext.Current.CancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await _metabase.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<IReadOnlyList<object?>> ExerciseAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        _metabase.AddUser("ada@partner.example", "Ada", "Lovelace");
        var lookup = services.GetRequiredService<IMetabaseUserLookup>();
        var found = await lookup.FindUserByEmailAsync("ada@partner.example", cancellationToken);
        _metabase.InjectError("/api/user", 500, times: 10);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => lookup.FindUserByEmailAsync("ada@partner.example", cancellationToken));
        return [found, failure.ToString()];
    }
}
