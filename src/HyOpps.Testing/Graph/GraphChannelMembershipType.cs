namespace HyOpps.Testing.Graph;

/// <summary>The membership type of a simulated channel.</summary>
public enum GraphChannelMembershipType
{
    /// <summary>A standard channel: every team member is a member; it has no members of its own.</summary>
    Standard,

    /// <summary>A private channel with its own members, who must be team members.</summary>
    Private,

    /// <summary>A shared channel with its own members.</summary>
    Shared,
}
