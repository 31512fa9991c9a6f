namespace HyOpps.Integrations.Teams.Internal;

/// <summary>What <see cref="AddUserToTeamsChannelStep"/> keeps across attempts: when Teams first did not know the guest.</summary>
internal sealed record MembershipCheckpoint
{
    public DateTimeOffset? VisibilityWaitStartedAt { get; init; }
}
