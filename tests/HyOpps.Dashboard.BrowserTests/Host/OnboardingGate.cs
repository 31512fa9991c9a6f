using System.Collections.Concurrent;

namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>Holds the first step of a person's onboarding until the test lets it go, so a test can watch a running execution.</summary>
internal sealed class OnboardingGate
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Makes the onboarding of <paramref name="email"/> wait in its first step until <see cref="Release"/>.</summary>
    public void Hold(string email) => _held[email] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the onboarding of <paramref name="email"/> go on.</summary>
    public void Release(string email)
    {
        if (_held.TryRemove(email, out var gate))
        {
            gate.TrySetResult();
        }
    }

    /// <summary>Completes once the onboarding of <paramref name="email"/> may go on.</summary>
    public Task WaitAsync(string email, CancellationToken cancellationToken)
        => _held.TryGetValue(email, out var gate) ? gate.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
}
