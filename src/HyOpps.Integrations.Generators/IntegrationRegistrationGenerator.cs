using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace HyOpps.Integrations.Generators;

/// <summary>
/// Writes what every integration would otherwise repeat (src/INTEGRATIONS.md): from <c>[HyOppsIntegration]</c> on a <c>static partial</c>
/// builder-extensions class, the three documented <c>AddXxx</c> overloads, the one-time registration of the options validator, the
/// configuration check and the steps around the integration's own <c>AddServices</c>, and the options' section members; from
/// <c>[HyOppsStep]</c> on a step, its id, connection, constructor and the public <c>ExecuteAsync</c> with its argument and input checks.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class IntegrationRegistrationGenerator : IIncrementalGenerator
{
    private const string IntegrationAttribute = "HyOpps.Integrations.Shared.HyOppsIntegrationAttribute";
    private const string StepAttribute = "HyOpps.Integrations.Shared.HyOppsStepAttribute";
    private const string Shared = "global::HyOpps.Integrations.Shared";
    private const string Workflows = "global::HyOpps.Workflows";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var steps = context.SyntaxProvider.ForAttributeWithMetadataName(
            StepAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (syntax, _) => DescribeStep(syntax));
        context.RegisterSourceOutput(steps, static (output, step) =>
        {
            if (step is not null)
            {
                output.AddSource(step.ClassName + ".g.cs", SourceText.From(WriteStep(step), Encoding.UTF8));
            }
        });

        var integrations = context.SyntaxProvider.ForAttributeWithMetadataName(
            IntegrationAttribute,
            static (node, _) => node is ClassDeclarationSyntax,
            static (syntax, _) => DescribeIntegration(syntax));
        context.RegisterSourceOutput(integrations.Combine(steps.Collect()), static (output, pair) =>
        {
            var (integration, all) = pair;
            if (integration is null)
            {
                return;
            }

            var ownSteps = integration.HasCheck ? all.Where(s => s is not null).Select(s => s!).OrderBy(s => s.Order).ToImmutableArray() : ImmutableArray<Step>.Empty;
            output.AddSource(integration.ClassName + ".g.cs", SourceText.From(WriteIntegration(integration, ownSteps), Encoding.UTF8));
            if (integration.OptionsIsPartial)
            {
                output.AddSource(integration.OptionsName + ".g.cs", SourceText.From(WriteOptions(integration), Encoding.UTF8));
            }
        });
    }

    private static Integration? DescribeIntegration(GeneratorAttributeSyntaxContext syntax)
    {
        var attribute = syntax.Attributes.FirstOrDefault();
        if (syntax.TargetSymbol is not INamedTypeSymbol type || attribute is null || attribute.ConstructorArguments.Length != 3
            || attribute.ConstructorArguments[0].Value is not string name
            || attribute.ConstructorArguments[1].Value is not INamedTypeSymbol options
            || attribute.ConstructorArguments[2].Value is not string adds)
        {
            return null;
        }

        var validator = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Validator").Value.Value as INamedTypeSymbol;
        var optionsIsPartial = options.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ClassDeclarationSyntax c && c.Modifiers.Any(SyntaxKind.PartialKeyword));
        var section = optionsIsPartial
            ? "HyOpps:" + name
            : options.GetMembers("DefaultSectionName").OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst)?.ConstantValue as string ?? "HyOpps:" + name;
        var addServices = type.GetMembers("AddServices").OfType<IMethodSymbol>().FirstOrDefault();
        var takesBuilder = addServices?.Parameters.FirstOrDefault()?.Type.Name == "IHyOppsBuilder";
        var hasCheck = new[] { "IsConfigured", "RequiredSettings", "NotConfiguredMessage" }.All(m => options.GetMembers(m).Length > 0);
        return new Integration(
            type.ContainingNamespace.ToDisplayString(),
            type.Name,
            name,
            options.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            options.ContainingNamespace.ToDisplayString(),
            options.Name,
            optionsIsPartial,
            section,
            adds,
            validator?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            takesBuilder,
            hasCheck);
    }

    private static Step? DescribeStep(GeneratorAttributeSyntaxContext syntax)
    {
        var attribute = syntax.Attributes.FirstOrDefault();
        if (syntax.TargetSymbol is not INamedTypeSymbol type || attribute is null || attribute.ConstructorArguments.Length < 1
            || attribute.ConstructorArguments[0].Value is not string id)
        {
            return null;
        }

        var input = type.AllInterfaces.FirstOrDefault(i => i.Name == "IWorkflowStep" && i.TypeArguments.Length == 1)?.TypeArguments[0] as INamedTypeSymbol;
        if (input is null)
        {
            return null;
        }

        var connection = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value as INamedTypeSymbol : null;
        var opens = attribute.NamedArguments.FirstOrDefault(a => a.Key == "OpensConnection").Value.Value as bool? ?? true;
        var required = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Required").Value;
        var service = type.ContainingNamespace.Name;
        var checks = new StringBuilder();
        if (!required.IsNull && required.Kind == TypedConstantKind.Array)
        {
            foreach (var item in required.Values)
            {
                if (item.Value is not string property)
                {
                    continue;
                }

                var field = SnakeCase(property);
                var isId = input.GetMembers(property).OfType<IPropertySymbol>().FirstOrDefault()?.Type.SpecialType == SpecialType.System_Int32;
                checks.Append(isId
                    ? $"        {Shared}.StepInputs.RequiredId(input.{property}, \"{field}\", \"{service}\");\n"
                    : $"        input = input with {{ {property} = {Shared}.StepInputs.Required(input.{property}, \"{field}\") }};\n");
            }
        }

        var location = syntax.TargetNode.GetLocation().GetLineSpan();
        return new Step(
            type.ContainingNamespace.ToDisplayString(),
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            id,
            input.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            connection?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            opens,
            checks.ToString(),
            location.Path + ":" + location.StartLinePosition.Line.ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
    }

    // GroupId -> group_id, the field name the step's input has in JSON and in messages.
    private static string SnakeCase(string name)
    {
        var result = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                result.Append('_');
            }

            result.Append(char.ToLowerInvariant(name[i]));
        }

        return result.ToString();
    }

    private static string WriteStep(Step s)
    {
        var members = new StringBuilder();
        string call;
        if (s.Connection is { } connection)
        {
            members.Append($$"""

                    private readonly {{connection}} _connection;

                    internal {{s.ClassName}}({{connection}} connection) => _connection = connection;

                """);
            call = s.OpensConnection ? "input, _connection.Open(context), context, cancellationToken" : "input, context, cancellationToken";
        }
        else
        {
            call = "input, context, cancellationToken";
        }

        return $$"""
            // <auto-generated>Written by HyOpps.Integrations.Generators from [HyOppsStep] (src/INTEGRATIONS.md).</auto-generated>
            #nullable enable

            namespace {{s.Namespace}};

            [{{Workflows}}.WorkflowStep(Id)]
            partial class {{s.ClassName}}
            {
                /// <summary>The step id, <c>{{s.Id}}</c>.</summary>
                public const string Id = "{{s.Id}}";
            {{members}}
                /// <inheritdoc />
                /// <exception cref="global::System.ArgumentNullException"><paramref name="input"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
                public async global::System.Threading.Tasks.ValueTask<{{Workflows}}.StepResult> ExecuteAsync(
                    {{s.InputType}} input, {{Workflows}}.StepContext context, global::System.Threading.CancellationToken cancellationToken)
                {
                    global::System.ArgumentNullException.ThrowIfNull(input);
                    global::System.ArgumentNullException.ThrowIfNull(context);
            {{s.Checks}}        return await RunAsync({{call}}).ConfigureAwait(false);
                }
            }

            """;
    }

    private static string WriteIntegration(Integration i, ImmutableArray<Step> steps)
    {
        var o = i.OptionsType;
        var first = new StringBuilder();
        if (i.Validator is { } validator)
        {
            first.Append($"            global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddEnumerable(builder.Services, global::Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Singleton<global::Microsoft.Extensions.Options.IValidateOptions<{o}>, {validator}>());\n");
        }

        if (i.HasCheck)
        {
            var ids = string.Join(", ", steps.Select(s => s.TypeName + ".Id"));
            first.Append($"            {Shared}.IntegrationConfigurationChecks.Add(builder.Services, new {Shared}.IntegrationCheck<{o}>(\n");
            first.Append($"                \"{i.Name}\", [{ids}], static o => o.IsConfigured, static o => o.RequiredSettings, static o => o.NotConfiguredMessage));\n");
            foreach (var step in steps)
            {
                first.Append(step.Connection is { } connection
                    ? $"            global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddTransient(builder.Services, static sp => new {step.TypeName}(global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{connection}>(sp)));\n"
                    : $"            global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddTransient<{step.TypeName}>(builder.Services);\n");
            }
        }

        first.Append(i.AddServicesTakesBuilder ? "            AddServices(builder);\n" : "            AddServices(builder.Services);\n");
        return $$"""
            // <auto-generated>Written by HyOpps.Integrations.Generators from [HyOppsIntegration] (src/INTEGRATIONS.md).</auto-generated>
            #nullable enable

            namespace {{i.Namespace}};

            static partial class {{i.ClassName}}
            {
                /// <summary>Adds {{i.Adds}}, bound to the configuration section <c>{{i.Section}}</c> when an <see cref="global::Microsoft.Extensions.Configuration.IConfiguration"/> is registered.</summary>
                /// <param name="builder">The HyOpps builder.</param>
                /// <returns>The builder.</returns>
                /// <exception cref="global::System.ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
                public static global::HyOpps.IHyOppsBuilder Add{{i.Name}}(this global::HyOpps.IHyOppsBuilder builder)
                    => AddCore(builder, section: null, configure: null);

                /// <summary>Adds {{i.Adds}}, bound to <c>{{i.Section}}</c> when present and then configured by <paramref name="configure"/>.</summary>
                /// <param name="builder">The HyOpps builder.</param>
                /// <param name="configure">Sets the options; runs after the configuration binding.</param>
                /// <returns>The builder.</returns>
                /// <exception cref="global::System.ArgumentNullException">An argument is <see langword="null"/>.</exception>
                public static global::HyOpps.IHyOppsBuilder Add{{i.Name}}(this global::HyOpps.IHyOppsBuilder builder, global::System.Action<{{o}}> configure)
                    => AddCore(builder, section: null, configure ?? throw new global::System.ArgumentNullException(nameof(configure)));

                /// <summary>Adds {{i.Adds}}, bound to <paramref name="section"/>; unknown keys in it are errors.</summary>
                /// <param name="builder">The HyOpps builder.</param>
                /// <param name="section">The section, for example <c>configuration.GetSection("{{i.Section}}")</c>.</param>
                /// <returns>The builder.</returns>
                /// <exception cref="global::System.ArgumentNullException">An argument is <see langword="null"/>.</exception>
                public static global::HyOpps.IHyOppsBuilder Add{{i.Name}}(this global::HyOpps.IHyOppsBuilder builder, global::Microsoft.Extensions.Configuration.IConfigurationSection section)
                    => AddCore(builder, section ?? throw new global::System.ArgumentNullException(nameof(section)), configure: null);

                // Every call registers its binding and delegate; the integration's services are registered by the first call only.
                private static global::HyOpps.IHyOppsBuilder AddCore(
                    global::HyOpps.IHyOppsBuilder builder, global::Microsoft.Extensions.Configuration.IConfigurationSection? section, global::System.Action<{{o}}>? configure)
                {
                    global::System.ArgumentNullException.ThrowIfNull(builder);
                    if ({{Shared}}.IntegrationOptions.Add(
                        builder.Services, {{o}}.DefaultSectionName, section, configure, static (options, path) => options.SectionPath = path))
                    {
            {{first}}        }

                    return builder;
                }
            }

            """;
    }

    private static string WriteOptions(Integration i) => $$"""
        // <auto-generated>Written by HyOpps.Integrations.Generators from [HyOppsIntegration] (src/INTEGRATIONS.md).</auto-generated>
        #nullable enable

        namespace {{i.OptionsNamespace}};

        partial class {{i.OptionsName}}
        {
            /// <summary>The default configuration section, <c>{{i.Section}}</c>.</summary>
            public const string DefaultSectionName = "{{i.Section}}";

            /// <summary>Gets or sets the configuration path the settings come from, so that messages name the right keys; set by the registration.</summary>
            internal string SectionPath { get; set; } = DefaultSectionName;

            /// <summary>Names a setting by its full key, for example <c>{{i.Section}}:Timeout</c>.</summary>
            internal string Key(string setting) => {{Shared}}.IntegrationMessages.Key(SectionPath, setting);
        }

        """;

    private sealed record Integration(
        string Namespace,
        string ClassName,
        string Name,
        string OptionsType,
        string OptionsNamespace,
        string OptionsName,
        bool OptionsIsPartial,
        string Section,
        string Adds,
        string? Validator,
        bool AddServicesTakesBuilder,
        bool HasCheck);

    private sealed record Step(
        string Namespace,
        string ClassName,
        string TypeName,
        string Id,
        string InputType,
        string? Connection,
        bool OpensConnection,
        string Checks,
        string Order);
}
