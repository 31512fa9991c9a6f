using System.Text.Json;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>Reads error bodies: Jira <c>{"errorMessages":[],"errors":{}}</c>, Admin API <c>{"errors":[{title,detail}]}</c>, <c>{"message"}</c> or plain text.</summary>
internal static class AtlassianErrorBody
{
    private const int MaxPlainTextLength = 500;

    public static (IReadOnlyList<string> Messages, IReadOnlyDictionary<string, string> Errors) Parse(string? body)
    {
        var messages = new List<string>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (messages, errors);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                ReadObject(root, messages, errors);
                if (messages.Count > 0 || errors.Count > 0)
                {
                    return (messages, errors);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: a plain-text or HTML body, kept as it is below.
        }

        var text = body.Trim();
        messages.Add(text.Length > MaxPlainTextLength ? text[..MaxPlainTextLength] + "..." : text);
        return (messages, errors);
    }

    private static void ReadObject(JsonElement root, List<string> messages, Dictionary<string, string> errors)
    {
        if (root.TryGetProperty("errorMessages", out var errorMessages) && errorMessages.ValueKind == JsonValueKind.Array)
        {
            messages.AddRange(errorMessages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!));
        }

        if (root.TryGetProperty("errors", out var errorsElement))
        {
            if (errorsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in errorsElement.EnumerateObject())
                {
                    errors[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }
            else if (errorsElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errorsElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object))
                {
                    var parts = new[] { "code", "title", "detail" }
                        .Select(name => error.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                        .Where(s => !string.IsNullOrWhiteSpace(s));
                    var text = string.Join(": ", parts);
                    if (text.Length > 0)
                    {
                        messages.Add(text);
                    }
                }
            }
        }

        foreach (var name in new[] { "message", "errorMessage", "detail" })
        {
            if (messages.Count == 0 && root.TryGetProperty(name, out var message) && message.ValueKind == JsonValueKind.String)
            {
                messages.Add(message.GetString()!);
            }
        }
    }
}
