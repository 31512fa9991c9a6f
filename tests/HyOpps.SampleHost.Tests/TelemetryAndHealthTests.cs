using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>Issue 16: the sample host's health endpoints and its OpenTelemetry traces of one onboarding.</summary>
public sealed class TelemetryAndHealthTests
{
    [Fact]
    public async Task Health_AnonymousSeesTheStatusAlone_DetailsOnlyForAdmins()
    {
        await using var host = await StartAsync();

        // Probes: no credentials, no Accept header, the status word and nothing about the checks.
        using var probe = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.Address };
        using var health = await probe.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(Ct));

        // Details: 401 without credentials (also for a browser-like request: no redirect to the sign-in page), 403 for a partner admin.
        using (var anonymous = await probe.GetAsync("/health/details", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Empty(await anonymous.Content.ReadAsStringAsync(Ct));
        }

        using var partner = host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        using (var refused = await partner.GetAsync("/health/details", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("hyopps-", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using var admin = host.Admin();
        using var details = await admin.GetAsync("/health/details", Ct);
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        var text = await details.Content.ReadAsStringAsync(Ct);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        var checks = json.RootElement.GetProperty("checks");
        Assert.Equal(
            ["hyopps-executions", "hyopps-integrations", "hyopps-store", "hyopps-worker"],
            checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.All(host.Sandbox.Secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));

        // Without OTEL_EXPORTER_OTLP_ENDPOINT the host registers no tracing at all.
        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Traces_OneOnboarding_IsOneExecutionSpanWithEveryStepAttemptItsChild_AndCarriesNoDataOrSecret()
    {
        var spans = new List<Activity>();
        var settings = new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{ClosedPort()}" };
        await using var host = await StartAsync(settings: settings, configure: builder => builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(spans)));
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();

        var started = await host.AddUserAsync(admin, org.Id, "Grace.Hopper@Partner.example", "Gracelyn", "Hopperton");
        var execution = await host.WaitAsync(started.ExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);

        Activity[] captured;
        lock (spans)
        {
            captured = [.. spans];
        }

        // The execution's span is a child of the request that started it, in the caller's trace.
        // ActivitySource listeners are process-wide: the exporter also sees the spans of other tests' hosts running beside
        // this one. A repeated start of the same person (the outbox's reconciler may race the request) is a span of its own,
        // marked as a duplicate. The execution's spans are the ones in the trace of its one non-duplicate execution span.
        var all = captured.Where(a => a.Source.Name == HyOppsTelemetry.ActivitySourceName).ToArray();
        var root = Assert.Single(all, a => a.OperationName == "hyopps.execution"
            && (string?)a.GetTagItem("hyopps.execution_id") == execution.Id && a.GetTagItem("hyopps.duplicate") is null);
        var hyopps = all.Where(a => a.TraceId == root.TraceId && a.GetTagItem("hyopps.duplicate") is null).ToArray();
        Assert.Equal(execution.Id, root.GetTagItem("hyopps.execution_id"));
        Assert.Equal(PartnerWorkflowNames.NewPartnerUser, root.GetTagItem("hyopps.workflow"));
        var request = Assert.Single(captured, a => a.SpanId == root.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal(default, request.ParentSpanId);

        var steps = hyopps.Where(a => a.OperationName == "hyopps.step").ToArray();
        Assert.Equal(hyopps.Length - 1, steps.Length);
        Assert.All(steps, step =>
        {
            Assert.Equal(root.TraceId, step.TraceId);
            Assert.Equal(root.SpanId, step.ParentSpanId);
            Assert.Equal(execution.Id, step.GetTagItem("hyopps.execution_id"));
            Assert.IsType<int>(step.GetTagItem("hyopps.attempt"));
            Assert.Contains(step.GetTagItem("hyopps.outcome") as string, new[] { "succeeded", "skipped", "failed" });
        });

        // One span per recorded attempt of every step, with its number and outcome.
        var attempts = execution.Steps.SelectMany(s => s.Attempts.Select(a => (s.Id, a.Number))).Order().ToArray();
        Assert.Equal(attempts, steps.Select(s => ((string)s.GetTagItem("hyopps.step_id")!, (int)s.GetTagItem("hyopps.attempt")!)).Order().ToArray());
        Assert.Equal(execution.Steps.Select(s => s.Id).Order(StringComparer.Ordinal), steps.Where(s => (string?)s.GetTagItem("hyopps.outcome") == "succeeded")
            .Select(s => (string)s.GetTagItem("hyopps.step_id")!).Order(StringComparer.Ordinal));

        // The sandbox's eventual consistency makes some step retry: a failed attempt carries its error type, never its message.
        var failed = Assert.Single(steps.Where(s => (string?)s.GetTagItem("hyopps.outcome") == "failed").Take(1));
        Assert.False(string.IsNullOrEmpty(failed.GetTagItem("error.type") as string));
        Assert.Equal(ActivityStatusCode.Error, failed.Status);

        // No input, output or secret in any tag, event or status of the host's spans; no secret in any span, the in-process
        // simulators' requests included.
        var port = host.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var own = captured.Where(a => a.Source.Name == HyOppsTelemetry.ActivitySourceName || Text(a.GetTagItem("server.port")) == port).ToArray();
        Assert.Contains(request, own);
        var personal = new List<string> { "grace.hopper", "Gracelyn", "Hopperton" };
        personal.AddRange(execution.Steps.Where(s => s.Output is not null).SelectMany(s => StringValues(s.Output!.Value)).Where(v => v.Length >= 6));
        var secrets = new List<string> { SandboxAccounts.AdminApiKey, SandboxAccounts.AdminPassword, SandboxAccounts.PartnerAdminPassword };
        secrets.AddRange(host.Sandbox.Secrets);
        Assert.All(personal.Concat(secrets), value => Assert.All(own.SelectMany(Texts), text => Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase)));
        Assert.All(secrets, value => Assert.All(captured.SelectMany(Texts), text => Assert.DoesNotContain(value, text, StringComparison.Ordinal)));
    }

    private static IEnumerable<string> Texts(Activity activity) => activity.TagObjects.Select(t => Text(t.Value))
        .Concat(activity.Events.SelectMany(e => e.Tags.Select(t => Text(t.Value)).Append(e.Name)))
        .Append(activity.StatusDescription ?? string.Empty)
        .Append(activity.DisplayName);

    private static string Text(object? value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;

    private static IEnumerable<string> StringValues(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => StringValues(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(StringValues),
        JsonValueKind.String => [element.GetString()!],
        _ => [],
    };

    /// <summary>A port nothing listens on, so that the OTLP exporter's sends fail at once.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
