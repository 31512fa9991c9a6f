using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HyOpps.Workflows;

/// <summary>Provides the JSON conventions of workflow inputs, outputs and checkpoints.</summary>
public static class HyOppsJson
{
    /// <summary>Gets the serializer options: snake_case names, nulls omitted, <see cref="SecretAttribute"/> properties never written.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropSecrets } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly();
        return options;
    }

    private static void DropSecrets(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is ICustomAttributeProvider provider
                && provider.IsDefined(typeof(SecretAttribute), inherit: true))
            {
                property.ShouldSerialize = static (_, _) => false;
            }
        }
    }
}
