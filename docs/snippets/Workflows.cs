#region usage
using HyOpps;
using HyOpps.Workflows;
#endregion
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Snippets;

/// <summary>src/HyOpps.Workflows/README.md.</summary>
internal static class WorkflowsSnippets
{
    public static async Task UsageAsync(IHostApplicationBuilder builder, IHost app, object input, string email, CancellationToken cancellationToken)
    {
        #region usage
        builder.Services.AddHyOpps(o => o.MaxConcurrentExecutions = 32)
            .UseSqlite("Data Source=hyopps.db")          // HyOpps.Storage.Sqlite; without a store, executions live in memory
            .AddWorkflow("new_partner_user", wf => wf
                .Step<ValidateStep>()
                .Step("notify", (context, ct) => ValueTask.FromResult(StepResult.Succeeded(new { sent = true })))
                .ManualStep("approve", "An operator approves the account.")
                .Step<ProvisionStep>(s => s.WithRetry(new RetryPolicy { MaxAttempts = 12 }).WithTimeout(TimeSpan.FromMinutes(2))));

        var client = app.Services.GetRequiredService<IWorkflowClient>();
        var started = await client.StartAsync(
            "new_partner_user", input, new StartExecutionOptions { IdempotencyKey = email }, cancellationToken);
        var detail = await client.WaitForCompletionAsync(started.ExecutionId, cancellationToken);
        #endregion
        _ = detail;
    }

    public static void OpenTelemetry(IHostApplicationBuilder builder)
    {
        #region opentelemetry
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddSource(HyOppsTelemetry.ActivitySourceName))
            .WithMetrics(m => m.AddMeter(HyOppsTelemetry.MeterName))
            .UseOtlpExporter();
        #endregion
    }

    private sealed class ValidateStep : IWorkflowStep
    {
        public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(StepResult.Succeeded(new { valid = true }));
    }

    private sealed class ProvisionStep : IWorkflowStep
    {
        public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
            => ValueTask.FromResult(StepResult.Succeeded(new { provisioned = true }));
    }
}
