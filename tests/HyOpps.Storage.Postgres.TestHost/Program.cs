// A host that the multi-host tests run several times on one PostgreSQL database, and kill, pause or outlive a database
// restart. It only runs executions (the tests start them); it prints "ready" once its worker runs.
//   steps <connection> <journal> <worker> <step delay ms> <lease ms>: the ten-step workflow "multi"; every step attempt
//       appends "<execution> <step> <nonce> <worker>" to the journal before it waits and succeeds.
//   slack <connection> <slack api url> <bot token> <worker>: the workflow "slack" of the one step add_user_to_slack_group.
using HyOpps;
using HyOpps.Integrations.Slack;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var invariant = System.Globalization.CultureInfo.InvariantCulture;
if (args.Length < 1 || (args[0], args.Length) is not (("steps", 6) or ("slack", 5)))
{
    Console.Error.WriteLine("usage: TestHost steps <connection> <journal> <worker> <step delay ms> <lease ms> | slack <connection> <slack api url> <bot token> <worker>");
    return 2;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
var hyopps = builder.Services.AddHyOpps(o =>
{
    o.WorkerId = args[0] == "steps" ? args[3] : args[4];
    o.MaxConcurrentExecutions = 8;
    o.PollInterval = TimeSpan.FromMilliseconds(500);
    o.LeaseDuration = args[0] == "steps" ? TimeSpan.FromMilliseconds(int.Parse(args[5], invariant)) : TimeSpan.FromSeconds(5);
    o.DefaultRetryPolicy = new RetryPolicy { MaxAttempts = 50, InitialDelay = TimeSpan.FromMilliseconds(50), UseJitter = false };
}).UsePostgres(args[1]);

if (args[0] == "steps")
{
    var (journal, worker, delay) = (args[2], args[3], int.Parse(args[4], invariant));
    var journalLock = new Lock();
    hyopps.AddWorkflow("multi", wf =>
    {
        for (var i = 0; i < 10; i++)
        {
            wf.Step($"s{i}", async (context, cancellationToken) =>
            {
                var nonce = Guid.NewGuid().ToString("N");
                lock (journalLock)
                {
                    File.AppendAllText(journal, $"{context.ExecutionId} {context.StepId} {nonce} {worker}\n");
                }

                if (delay > 0)
                {
                    await Task.Delay(delay, cancellationToken);
                }

                return StepResult.Succeeded(new { Nonce = nonce, Worker = worker });
            });
        }
    });
}
else
{
    hyopps.AddSlack(o =>
    {
        o.BaseUrl = new Uri(args[2]);
        o.BotToken = args[3];
    }).AddWorkflow("slack", wf => wf.Step<AddUserToSlackGroupStep>());
}

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");

// Runs until stdin closes or the process is signalled; a SIGTERM stops the host gracefully.
var stop = new TaskCompletionSource();
using var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stop.TrySetResult());
await Task.WhenAny(stop.Task, Task.Run(() => Console.In.ReadToEnd()));
await host.StopAsync();
return 0;
