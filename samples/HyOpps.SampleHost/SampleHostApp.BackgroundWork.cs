using HyOpps.SampleHost.Cleanup;
using HyOpps.SampleHost.Starts;

namespace HyOpps.SampleHost;

/// <summary>The host's background work: the pending-start reconciler and the clean-up after cut-short onboardings, with their settings.</summary>
public static partial class SampleHostApp
{
    private static void AddBackgroundWork(IServiceCollection services, IConfiguration configuration, SampleHostSettings settings)
    {
        services.AddSingleton(CrashHook.From(configuration, settings));
        services.AddSingleton<PendingStartRunner>();
        services.AddSingleton<PendingStartReconciler>();
        services.AddOptions<PendingStartOptions>()
            .Bind(configuration.GetSection(PendingStartOptions.Section), o => o.ErrorOnUnknownConfiguration = true)
            .Validate(o => o.ReconcileInterval > TimeSpan.Zero, $"{PendingStartOptions.Section}:{nameof(PendingStartOptions.ReconcileInterval)} must be positive.")
            .ValidateOnStart();
        services.AddSingleton<OnboardingCleanup>();
        services.AddOptions<OnboardingCleanupOptions>()
            .Bind(configuration.GetSection(OnboardingCleanupOptions.Section), o => o.ErrorOnUnknownConfiguration = true)
            .Validate(o => o.Interval > TimeSpan.Zero, $"{OnboardingCleanupOptions.Section}:{nameof(OnboardingCleanupOptions.Interval)} must be positive.")
            .Validate(o => o.FailedGracePeriod >= TimeSpan.Zero, $"{OnboardingCleanupOptions.Section}:{nameof(OnboardingCleanupOptions.FailedGracePeriod)} must not be negative.")
            .ValidateOnStart();
    }
}
