using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Shared;

/// <summary>
/// Registers an integration's options the one way every <c>AddXxx</c> overload shares: bind the given section (or the
/// default <c>HyOpps:Xxx</c> of the host's <see cref="IConfiguration"/>), then run the code's delegate; unknown keys and
/// values that do not convert are start-up validation errors naming the full key path.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal static class IntegrationOptions
{
    // Errors met while binding one options instance, reported by BindingErrorsValidator with the integration's own rules.
    private static readonly ConditionalWeakTable<object, List<string>> BindingErrors = [];

    /// <summary>Registers the binding and <paramref name="configure"/>; returns whether this is the integration's first registration.</summary>
    public static bool Add<TOptions>(
        IServiceCollection services,
        string defaultSectionName,
        IConfigurationSection? section,
        Action<TOptions>? configure,
        Action<TOptions, string> setSectionPath)
        where TOptions : class
    {
        var path = section?.Path ?? defaultSectionName;
        services.AddOptions<TOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            setSectionPath(options, path);
            if ((section ?? provider.GetService<IConfiguration>()?.GetSection(defaultSectionName)) is { } source)
            {
                Bind(source, options);
            }
        });

        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(static d => d.ServiceType == typeof(Marker<TOptions>)))
        {
            return false;
        }

        services.AddSingleton<Marker<TOptions>>();
        services.AddOptions<TOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, BindingErrorsValidator<TOptions>>();
        return true;
    }

    /// <summary>Binds <paramref name="section"/> onto <paramref name="options"/>, recording unknown keys and unconvertible values by key path.</summary>
    public static void Bind(IConfigurationSection section, object options)
    {
        var errors = BindingErrors.GetOrCreateValue(options);
        CollectUnknownKeys(section, options.GetType(), errors);
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key path and the value of a setting that does not convert (never a secret: those are strings).
            errors.Add(ex.Message);
        }
    }

    /// <summary>Gets the errors recorded while binding <paramref name="options"/>.</summary>
    public static IReadOnlyList<string> GetBindingErrors(object options)
        => BindingErrors.TryGetValue(options, out var errors) ? errors : [];

    private static void CollectUnknownKeys(IConfigurationSection section, Type type, List<string> errors)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var child in section.GetChildren())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null || (!property.CanWrite && !IsCollection(property.PropertyType)))
            {
                // The path only: the value of a mistyped key may be a secret.
                errors.Add($"{child.Path} is not a setting: the settings of {section.Path} are {string.Join(", ", properties.Where(p => p.CanWrite || IsCollection(p.PropertyType)).Select(p => p.Name))}.");
            }
            else if (IsNested(property.PropertyType))
            {
                CollectUnknownKeys(child, property.PropertyType, errors);
            }
        }
    }

    private static bool IsCollection(Type type) => type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable));

    private static bool IsNested(Type type)
        => type.IsClass && type != typeof(string) && type != typeof(Uri) && !IsCollection(type);

    private sealed class Marker<TOptions>;

    private sealed class BindingErrorsValidator<TOptions> : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
            => GetBindingErrors(options) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Skip;
    }
}
