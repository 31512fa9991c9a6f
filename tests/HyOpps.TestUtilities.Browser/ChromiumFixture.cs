using Microsoft.Playwright;
using Xunit;

namespace HyOpps.TestUtilities.Browser;

/// <summary>One headless Chromium (Debian's <c>/usr/bin/chromium</c>) driven by Playwright, shared by the tests of a class.</summary>
/// <remarks>
/// <para>
/// Playwright never downloads a browser here: <see cref="ExecutablePath"/> points at the system Chromium, which
/// <c>.ci/setup</c> installs, and the Playwright driver is the node runtime bundled in the Microsoft.Playwright package.
/// Playwright starts Chromium with a fresh temporary profile (<c>--user-data-dir</c>) and deletes it on close.
/// </para>
/// <para>Each test gets its own <see cref="IBrowserContext"/> (own cookies, own storage), which is cheap; the browser process is reused.</para>
/// </remarks>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser.</summary>
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    /// <summary>The environment variable that points the tests at another Chromium binary.</summary>
    public const string ExecutablePathVariable = "HYOPPS_CHROMIUM";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Gets the Chromium command-line switches: headless, no sandbox (root in containers), and no traffic of its own.</summary>
    public static IReadOnlyList<string> Arguments { get; } =
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    /// <summary>Gets the Chromium binary: <c>$HYOPPS_CHROMIUM</c> when set, else <see cref="DefaultExecutablePath"/>.</summary>
    public static string ExecutablePath
        => Environment.GetEnvironmentVariable(ExecutablePathVariable) is { Length: > 0 } path ? path : DefaultExecutablePath;

    /// <summary>Gets the running browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    /// <summary>Gets how long starting the browser took, for the test log.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        var executable = ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {executable}. Run .ci/setup (as root: it installs Debian's 'chromium' package), "
                + $"or set {ExecutablePathVariable} to a Chromium binary. Playwright's own browser download is not used.");
        }

        // Belt and braces: nothing in this process may try to fetch a Playwright browser build.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // Expect(...) polls for 5 s by default; shared CI machines under load need longer.
        Assertions.SetDefaultExpectTimeout(15_000);
        var started = System.Diagnostics.Stopwatch.StartNew();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            ChromiumSandbox = false,
            Args = Arguments,
            Timeout = 60_000,
        });
        StartupTime = started.Elapsed;
    }

    /// <summary>Opens a fresh context (no cookies) whose relative URLs resolve against <paramref name="baseAddress"/>.</summary>
    /// <param name="baseAddress">The app under test.</param>
    /// <param name="javaScriptEnabled">Whether pages may run script; <see langword="false"/> proves a page works without it.</param>
    /// <returns>The context, with short default timeouts so a broken page fails fast.</returns>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress, bool javaScriptEnabled = true)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            JavaScriptEnabled = javaScriptEnabled,
            Locale = "en-GB",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ServiceWorkers = ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        return context;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
