using HyOpps.Onboarding;
using HyOpps.Onboarding.Internal;

namespace HyOpps;

/// <summary>Registers the partner onboarding workflows on the HyOpps builder.</summary>
public static class PartnerOnboardingHyOppsBuilderExtensions
{
    /// <summary>Adds <c>new_partner_user</c> and <c>remove_partner_user</c>, defined once over the five integrations.</summary>
    /// <param name="builder">The HyOpps builder; add the integrations (<c>AddMetabase</c>, <c>AddTeams</c>, ...) to it as well.</param>
    /// <param name="configure">Sets retry policies and the host's own steps around the integrations.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Each step's input is mapped at each attempt from the workflow input (<see cref="PartnerOnboardingInput"/>) and, when the
    /// host registers an <see cref="IPartnerDirectory"/>, the org as it is now. An integration the org does not use (no group
    /// id, no documentation links) is skipped by a rule of the definition, with the reason in the step's output.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddPartnerOnboarding(this IHyOppsBuilder builder, Action<PartnerOnboardingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PartnerOnboardingOptions();
        configure?.Invoke(options);
        return builder
            .AddWorkflow(PartnerOnboardingWorkflows.NewPartnerUser, wf => PartnerOnboardingDefinitions.Onboarding(wf, options))
            .AddWorkflow(PartnerOnboardingWorkflows.RemovePartnerUser, wf => PartnerOnboardingDefinitions.Offboarding(wf, options));
    }
}
