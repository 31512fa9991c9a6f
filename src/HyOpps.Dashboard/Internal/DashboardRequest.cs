using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Dashboard.Internal;

/// <summary>What rendering one request needs: the mount's options and paths, the caller's rights and scope, the clock.</summary>
internal sealed class DashboardRequest
{
    private readonly Dictionary<(string Key, string Value), string> _labelValues = [];
    private AntiforgeryTokenSet? _tokens;

    public DashboardRequest(HttpContext context, HyOppsDashboardOptions options, RoutePattern prefix)
    {
        Context = context;
        Options = options;
        BasePath = ResolveBasePath(context, prefix);
        CanOperate = options.CanOperate(context);
        Scope = options.ScopeLabels(context);
        Client = context.RequestServices.GetRequiredService<IWorkflowClient>();
        Now = (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
    }

    public HttpContext Context { get; }

    public HyOppsDashboardOptions Options { get; }

    /// <summary>Gets the dashboard's root path as the browser sees it, without a trailing slash.</summary>
    public string BasePath { get; }

    public bool CanOperate { get; }

    public IReadOnlyDictionary<string, string>? Scope { get; }

    public IWorkflowClient Client { get; }

    public DateTimeOffset Now { get; }

    public string ListUrl => BasePath + "/";

    public string ExecutionUrl(string executionId) => $"{BasePath}/executions/{Uri.EscapeDataString(executionId)}";

    public string ActionUrl(string executionId, string action) => $"{ExecutionUrl(executionId)}/{action}";

    public string RerunConfirmationUrl(string executionId, string stepId) => $"{ExecutionUrl(executionId)}/rerun?step={Uri.EscapeDataString(stepId)}";

    /// <summary>Gets the hidden antiforgery field for a form, issuing the cookie on first use.</summary>
    public Markup AntiforgeryField()
    {
        _tokens ??= Context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Context);
        return Html.Of($"<input type=\"hidden\" name=\"{_tokens.FormFieldName}\" value=\"{_tokens.RequestToken}\">");
    }

    /// <summary>Loads an execution the caller may see: <see langword="null"/> when it does not exist or lies outside the scope.</summary>
    public async Task<ExecutionDetail?> LoadExecutionAsync(string executionId)
    {
        var detail = await Client.GetAsync(executionId, Context.RequestAborted).ConfigureAwait(false);
        if (detail is null || !DashboardScope.Contains(Scope, detail.Labels))
        {
            return null;
        }

        await DescribeLabelsAsync([detail.Labels]).ConfigureAwait(false);
        return detail;
    }

    /// <summary>Asks <see cref="HyOppsDashboardOptions.LabelValueDisplay"/> once for each distinct shown label of executions the caller may see.</summary>
    public async Task DescribeLabelsAsync(IEnumerable<IReadOnlyDictionary<string, string>> labelSets)
    {
        if (Options.LabelValueDisplay is not { } describe)
        {
            return;
        }

        foreach (var (key, value) in labelSets.SelectMany(l => l))
        {
            if (_labelValues.ContainsKey((key, value)) || DashboardScope.DisplayName(Options, key) is null)
            {
                continue;
            }

            _labelValues[(key, value)] = await describe(Context, key, value).ConfigureAwait(false) is { Length: > 0 } text ? text : value;
        }
    }

    /// <summary>Gets the display text of a label's value: what <see cref="HyOppsDashboardOptions.LabelValueDisplay"/> said, else the value.</summary>
    public string LabelValue(string key, string value) => _labelValues.GetValueOrDefault((key, value), value);

    public WorkflowDefinition? FindDefinition(ExecutionDetail detail)
        => Client.Workflows.FirstOrDefault(w => w.Name == detail.WorkflowName && w.Version == detail.WorkflowVersion);

    private static string ResolveBasePath(HttpContext context, RoutePattern prefix)
    {
        // The prefix may hold route parameters ("/orgs/{org}/executions"); fill them from this request's values.
        var path = new System.Text.StringBuilder(context.Request.PathBase.Value);
        foreach (var segment in prefix.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        path.Append(Uri.EscapeDataString(literal.Content));
                        break;
                    case RoutePatternSeparatorPart separator:
                        path.Append(separator.Content);
                        break;
                    case RoutePatternParameterPart parameter:
                        path.Append(Uri.EscapeDataString(Convert.ToString(context.Request.RouteValues[parameter.Name], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                        break;
                }
            }
        }

        return path.ToString().TrimEnd('/');
    }
}
