using System.Globalization;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Dashboard.Internal;

/// <summary>A bulk action and the filter it applies to, as read from the query string or the confirmation form.</summary>
internal sealed record BulkFilter
{
    public static readonly string[] Actions = ["retry", "cancel", "rerun"];

    public string Action { get; init; } = "retry";

    public string? Workflow { get; init; }

    public string StatusText { get; init; } = string.Empty;

    public ExecutionStatus? Status { get; init; }

    public string? Step { get; init; }

    public string? RerunStep { get; init; }

    public string LabelText { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string FromText { get; init; } = string.Empty;

    public string ToText { get; init; } = string.Empty;

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the verb the pages use for the action.</summary>
    public string Verb => Action switch
    {
        "cancel" => "cancel",
        "rerun" => $"re-run from step {RerunStep}",
        _ => "retry the failed step of",
    };

    public static (BulkFilter Filter, string? Error) Read(Func<string, string> value)
    {
        var errors = new List<string>();
        var action = value("action").Trim();
        if (action.Length == 0)
        {
            action = "retry";
        }
        else if (!Actions.Contains(action))
        {
            errors.Add($"Unknown action '{action}'; use retry, cancel or rerun.");
            action = "retry";
        }

        var statusText = value("status").Trim();
        ExecutionStatus? status = null;
        if (statusText.Length > 0)
        {
            if (Enum.TryParse<ExecutionStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(statusText[0]))
            {
                status = parsed;
            }
            else
            {
                errors.Add($"Unknown status '{statusText}'; use one of {string.Join(", ", Enum.GetNames<ExecutionStatus>())}.");
            }
        }

        var labelText = value("label").Trim();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (labelText.Length > 0)
        {
            var equals = labelText.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"The label filter '{labelText}' is not of the form key=value (for example org=42).");
            }
            else
            {
                labels[labelText[..equals].Trim()] = labelText[(equals + 1)..].Trim();
            }
        }

        var fromText = value("from").Trim();
        var toText = value("to").Trim();
        var from = Date(fromText, "from", errors);
        var to = Date(toText, "to", errors);
        var rerunStep = value("rerun_step").Trim();
        if (action == "rerun" && rerunStep.Length == 0)
        {
            errors.Add("Name the step to re-run from (rerun_step).");
        }

        var workflow = value("workflow").Trim();
        var step = value("step").Trim();
        var filter = new BulkFilter
        {
            Action = action,
            Workflow = workflow.Length == 0 ? null : workflow,
            StatusText = statusText,
            Status = status,
            Step = step.Length == 0 ? null : step,
            RerunStep = rerunStep.Length == 0 ? null : rerunStep,
            LabelText = labelText,
            Labels = labels,
            FromText = fromText,
            ToText = toText,
            From = from,
            To = to is { } end ? end.AddDays(1) : null,
        };
        return (filter, errors.Count == 0 ? null : string.Join(' ', errors));
    }

    public static (BulkFilter Filter, string? Error) Read(IQueryCollection query) => Read(name => query[name].ToString());

    public static (BulkFilter Filter, string? Error) Read(IFormCollection form) => Read(name => form[name].ToString());

    /// <summary>Gets the store query: the filter narrowed to the caller's scope, or null when the two cannot both hold.</summary>
    public ExecutionQuery? Query(IReadOnlyDictionary<string, string>? scope)
        => DashboardScope.Narrow(scope, Labels) is { } labels
            ? new ExecutionQuery
            {
                WorkflowName = Workflow,
                Statuses = Status is { } s ? [s] : [],
                CurrentStepId = Step,
                Labels = labels,
                CreatedFrom = From,
                CreatedTo = To,
            }
            : null;

    /// <summary>Gets the filter as query-string or hidden-field pairs.</summary>
    public IEnumerable<(string Name, string Value)> Fields()
    {
        yield return ("action", Action);
        foreach (var (name, value) in new[] { ("workflow", Workflow), ("status", StatusText), ("step", Step), ("rerun_step", RerunStep), ("label", LabelText), ("from", FromText), ("to", ToText) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return (name, value);
            }
        }
    }

    private static DateTimeOffset? Date(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors.Add($"The date '{text}' ({field}) is not of the form 2026-12-07.");
        return null;
    }
}
