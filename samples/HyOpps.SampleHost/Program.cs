using HyOpps.SampleHost;
using HyOpps.SampleHost.Demo;

// `demo` runs the end-to-end demonstration in sandbox mode and exits; anything else serves the host.
if (args.Length > 0 && string.Equals(args[0], "demo", StringComparison.OrdinalIgnoreCase))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await DemoCommand.RunAsync(args[1..], Console.Out, cancel.Token);
}

try
{
    await using var app = await SampleHostApp.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (SampleHostSettingsException ex)
{
    // A settings mistake is the operator's to fix: the message names the settings, a stack trace would only bury it.
    await Console.Error.WriteLineAsync(ex.Message);
    return SampleHostSettingsException.ExitCode;
}
