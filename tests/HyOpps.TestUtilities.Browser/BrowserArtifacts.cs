using Microsoft.Playwright;
using Xunit;

namespace HyOpps.TestUtilities.Browser;

/// <summary>Saves screenshots and page markup of browser tests as test artifacts.</summary>
/// <remarks>
/// Files go to <c>$HYOPPS_TEST_ARTIFACTS</c> when set, else to <c>TestResults/browser</c> in the test project's output folder
/// (for example <c>tests/HyOpps.Dashboard.BrowserTests/bin/Release/net10.0/TestResults/browser</c>). Each file is also attached
/// to the test result and its path written to the test output.
/// </remarks>
public static class BrowserArtifacts
{
    /// <summary>The environment variable that moves the artifacts folder.</summary>
    public const string DirectoryVariable = "HYOPPS_TEST_ARTIFACTS";

    /// <summary>Gets the folder artifacts are written to.</summary>
    public static string Folder
        => Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "browser");

    /// <summary>Saves a full-page screenshot as <c>{name}.png</c>.</summary>
    /// <param name="page">The page.</param>
    /// <param name="name">The file name without extension.</param>
    /// <returns>The full path of the file.</returns>
    public static async Task<string> SaveScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = PathFor(name, ".png");
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Record(name + ".png", path, bytes, "image/png");
        return path;
    }

    /// <summary>Saves what a failing test was looking at: a screenshot and the page's markup, named after the test.</summary>
    /// <param name="page">The page.</param>
    /// <param name="name">The file name without extension.</param>
    /// <returns>A task that completes once both files are written; problems writing them are ignored.</returns>
    public static async Task SaveFailureAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            await SaveScreenshotAsync(page, name + ".failure");
            var html = await page.ContentAsync();
            var path = PathFor(name + ".failure", ".html");
            await File.WriteAllTextAsync(path, $"<!-- {page.Url} -->\n{html}");
            TestContext.Current.TestOutputHelper?.WriteLine($"Page markup at failure: {path}");
        }
        catch (PlaywrightException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static string PathFor(string name, string extension)
    {
        var folder = Folder;
        Directory.CreateDirectory(folder);
        var safe = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        return Path.Combine(folder, safe + extension);
    }

    private static void Record(string name, string path, byte[] bytes, string mediaType)
    {
        var context = TestContext.Current;
        context.TestOutputHelper?.WriteLine($"Saved {name}: {path}");
        context.SendDiagnosticMessage($"Browser test artifact: {path}");
        if (context.TestStatus == TestEngineStatus.Running)
        {
            context.AddAttachment(name, bytes, mediaType);
        }
    }
}
