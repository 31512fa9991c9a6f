namespace HyOpps.Onboarding;

/// <summary>The input of the partner onboarding and offboarding workflows: the org and the person.</summary>
/// <remarks>
/// Serialized with snake_case names: <c>{"org": {...}, "user": {"email": ..., "first_name": ..., "last_name": ...}}</c>.
/// Integration steps read only the fields they need.
/// </remarks>
public sealed record PartnerOnboardingInput
{
    /// <summary>Gets the partner organisation.</summary>
    public required PartnerOrg Org { get; init; }

    /// <summary>Gets the person to onboard.</summary>
    public required PartnerUser User { get; init; }
}
