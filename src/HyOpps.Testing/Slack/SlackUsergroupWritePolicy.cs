namespace HyOpps.Testing.Slack;

/// <summary>The simulated workspace setting "who can modify user groups".</summary>
public enum SlackUsergroupWritePolicy
{
    /// <summary>Everyone, bot tokens included, may change user groups (the only setting under which a bot token works).</summary>
    Everyone,

    /// <summary>Only workspace admins may: bot tokens get <c>permission_denied</c> from <c>usergroups.users.update</c>; admin user tokens still work.</summary>
    AdminsOnly,
}
