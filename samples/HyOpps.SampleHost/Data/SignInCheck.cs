using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Data;

/// <summary>The outcome of checking a user name and password: the account, a failure, or a lockout and its end.</summary>
public sealed record SignInCheck(Account? Account, DateTimeOffset? LockedOutUntil)
{
    /// <summary>A wrong user name or password (which of the two is not said).</summary>
    public static readonly SignInCheck Failed = new(null, null);

    public static SignInCheck Succeeded(Account account) => new(account, null);

    public static SignInCheck LockedOut(DateTimeOffset until) => new(null, until);
}
