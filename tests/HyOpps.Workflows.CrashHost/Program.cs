// A host that the crash tests kill at arbitrary moments: it (re)starts a fixed set of executions
// of a ten-step workflow and runs them, journaling every step start before the step does anything.
using HyOpps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: CrashHost <database> <journal> <executions>");
    return 2;
}

var (database, journal, count) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
var journalLock = new Lock();

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.ClearProviders();
builder.Services.AddHyOpps(o =>
    {
        o.LeaseDuration = TimeSpan.FromSeconds(1);
        o.PollInterval = TimeSpan.FromMilliseconds(100);
        o.MaxConcurrentExecutions = 8;
        o.DefaultRetryPolicy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.Zero, UseJitter = false };
    })
    .UseSqlite($"Data Source={database}")
    .AddWorkflow("crashy", wf =>
    {
        for (var i = 0; i < 10; i++)
        {
            wf.Step($"s{i}", async (context, cancellationToken) =>
            {
                var nonce = Guid.NewGuid().ToString("N");
                lock (journalLock)
                {
                    File.AppendAllText(journal, $"{context.ExecutionId} {context.StepId} {nonce}\n");
                }

                await Task.Delay(Random.Shared.Next(0, 4), cancellationToken);
                return StepResult.Succeeded(new { Nonce = nonce });
            });
        }
    });

using var host = builder.Build();
await host.StartAsync();
var client = host.Services.GetRequiredService<IWorkflowClient>();
var ids = new List<string>();
for (var i = 0; i < count; i++)
{
    ids.Add((await client.StartJsonAsync("crashy", $"{{\"item\":{i}}}", new StartExecutionOptions { IdempotencyKey = $"item-{i}" })).ExecutionId);
}

foreach (var id in ids)
{
    await client.WaitForCompletionAsync(id);
}

Console.WriteLine("done");
await host.StopAsync();
return 0;
