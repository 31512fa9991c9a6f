using System.Text.Json.Nodes;

namespace HyOpps.Workflows.Internal;

internal static class SecretScrubber
{
    /// <summary>Removes the secret properties from <paramref name="node"/> and writes what is left.</summary>
    public static string ToJson(JsonNode? node, ISet<string> secretNames)
    {
        Scrub(node, secretNames);
        return node?.ToJsonString() ?? "null";
    }

    public static void Scrub(JsonNode? node, ISet<string> secretNames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(secretNames.Contains).ToArray())
                {
                    obj.Remove(name);
                }

                foreach (var property in obj)
                {
                    Scrub(property.Value, secretNames);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Scrub(item, secretNames);
                }

                break;
        }
    }
}
