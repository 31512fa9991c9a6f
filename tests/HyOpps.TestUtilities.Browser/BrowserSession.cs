using Microsoft.Playwright;
using Xunit;

namespace HyOpps.TestUtilities.Browser;

/// <summary>One test's browser context and page; when the test failed, disposing it saves a screenshot and the page markup.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
    }

    /// <summary>Gets the context: cookies and storage of this session only.</summary>
    public IBrowserContext Context { get; }

    /// <summary>Gets the page (tab).</summary>
    public IPage Page { get; }

    /// <summary>Opens a session on a fresh context of <paramref name="browser"/>.</summary>
    /// <param name="browser">The shared browser.</param>
    /// <param name="baseAddress">The app under test.</param>
    /// <param name="javaScriptEnabled">Whether pages may run script.</param>
    /// <returns>The session.</returns>
    public static async Task<BrowserSession> OpenAsync(ChromiumFixture browser, Uri baseAddress, bool javaScriptEnabled = true)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(baseAddress, javaScriptEnabled);
        try
        {
            return new BrowserSession(context, await context.NewPageAsync());
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a test body; when it throws, the page is saved (screenshot and markup) before the exception goes on.</summary>
    /// <param name="body">The test body.</param>
    /// <returns>A task that completes with the body.</returns>
    public async Task RunAsync(Func<IPage, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body(Page);
        }
        catch
        {
            await BrowserArtifacts.SaveFailureAsync(Page, TestName());
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    private static string TestName()
    {
        var test = TestContext.Current.Test;
        var method = TestContext.Current.TestMethod?.MethodName;
        var type = TestContext.Current.TestClass?.TestClassSimpleName;
        return type is not null && method is not null ? $"{type}.{method}" : test?.TestDisplayName ?? "test";
    }
}
