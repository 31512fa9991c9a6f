using HyOpps.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HyOpps.SampleHost;

/// <summary>What operators watch: OpenTelemetry export and the health details answer.</summary>
public static partial class SampleHostApp
{
    /// <summary>
    /// Exports the requests' and the runtime's traces and metrics over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set;
    /// nothing otherwise. The requests are traced too: an execution started by a request is a child of its span, and without a
    /// sampled request span the sampler (parent-based) would drop the execution's.
    /// </summary>
    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddSource(HyOppsTelemetry.ActivitySourceName))
            .WithMetrics(m => m.AddMeter(HyOppsTelemetry.MeterName))
            .UseOtlpExporter();
    }

    private static Task WriteHealthDetailsAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                data = e.Value.Data,
            }),
        });
    }
}
