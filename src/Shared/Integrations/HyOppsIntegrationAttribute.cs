namespace HyOpps.Integrations.Shared;

/// <summary>
/// Marks an integration's <c>static partial</c> <c>XxxHyOppsBuilderExtensions</c>: src/HyOpps.Integrations.Generators writes its
/// three documented <c>AddXxx</c> overloads, which bind the options and then call the class's own
/// <c>private static void AddServices(IServiceCollection services)</c> once.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
/// <param name="name">The integration's name: <c>AddName</c>, section <c>HyOpps:Name</c>.</param>
/// <param name="optionsType">The options, with <c>DefaultSectionName</c> and a settable <c>SectionPath</c>.</param>
/// <param name="adds">What the overloads add, for their documentation, for example "the Slack steps and settings".</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class HyOppsIntegrationAttribute(string name, Type optionsType, string adds) : Attribute
{
    public string Name { get; } = name;

    public Type OptionsType { get; } = optionsType;

    public string Adds { get; } = adds;
}
