using Xunit;

namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>One <see cref="OnboardingBrowserHost"/> shared by the tests of a class; tests keep apart by using their own emails.</summary>
public sealed class OnboardingHostFixture : IAsyncLifetime
{
    private OnboardingBrowserHost? _host;

    internal OnboardingBrowserHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public async ValueTask InitializeAsync() => _host = await OnboardingBrowserHost.StartAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
