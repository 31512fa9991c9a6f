namespace HyOpps.Integrations.Shared;

/// <summary>
/// Marks an integration's <c>static partial</c> <c>XxxHyOppsBuilderExtensions</c> (or a notifier's <c>XxxNotificationsHyOppsBuilderExtensions</c>):
/// src/HyOpps.Integrations.Generators writes its three documented <c>AddXxx</c> overloads, which bind the options and, on the first call
/// only, register the <see cref="Validator"/>, the configuration check and the <c>[HyOppsStep]</c> steps, then call the class's own
/// <c>private static void AddServices(IServiceCollection services)</c> (or <c>AddServices(IHyOppsBuilder builder)</c>).
/// </summary>
/// <remarks>
/// <para>When the options class is <c>partial</c>, the generator also writes its <c>DefaultSectionName</c> (<c>HyOpps:Name</c>),
/// <c>SectionPath</c> and <c>Key(setting)</c>.</para>
/// <para>When the options declare <c>IsConfigured</c>, <c>RequiredSettings</c> and <c>NotConfiguredMessage</c>, the integration gets the
/// configuration check (start-up warning and health report) naming the ids of the assembly's <c>[HyOppsStep]</c> steps, and those steps
/// are registered as transients, built with the connection their attribute names.</para>
/// <para>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</para>
/// </remarks>
/// <param name="name">The integration's name: <c>AddName</c>, section <c>HyOpps:Name</c>.</param>
/// <param name="optionsType">The options, with <c>DefaultSectionName</c> and a settable <c>SectionPath</c> (written by the generator when partial).</param>
/// <param name="adds">What the overloads add, for their documentation, for example "the Slack steps and settings".</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class HyOppsIntegrationAttribute(string name, Type optionsType, string adds) : Attribute
{
    public string Name { get; } = name;

    public Type OptionsType { get; } = optionsType;

    public string Adds { get; } = adds;

    /// <summary>Gets or sets the options' <c>IValidateOptions</c>, registered once; usually an <see cref="IntegrationOptionsValidator{TOptions}"/>.</summary>
    public Type? Validator { get; set; }
}
