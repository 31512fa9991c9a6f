using System.Security.Claims;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Security;

/// <summary>The signed-in account, as the server recorded it: id, name, role and (for a partner admin) the one org it may see.</summary>
public sealed record Actor(string AccountId, string UserName, string Role, string? OrgId)
{
    /// <summary>The claim type of a partner admin's org id (issued from the account record, never from the request).</summary>
    public const string OrgIdClaim = "hyopps:org_id";

    /// <summary>The claim type of the account's security stamp at sign-in; a session whose stamp is no longer the account's is refused.</summary>
    public const string SecurityStampClaim = "hyopps:stamp";

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>Gets the name written into execution audit trails.</summary>
    public string AuditName => $"{Role}:{UserName}";

    /// <summary>Returns whether the actor may see the org's users, executions and documentation.</summary>
    public bool CanSeeOrg(string? orgId) => IsAdmin || (orgId is not null && OrgId is not null && string.Equals(OrgId, orgId, StringComparison.Ordinal));

    /// <summary>Builds the claims principal of an account for a sign-in scheme.</summary>
    public static ClaimsPrincipal ToPrincipal(Account account, string scheme)
    {
        ArgumentNullException.ThrowIfNull(account);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id),
            new(ClaimTypes.Name, account.UserName),
            new(ClaimTypes.Role, account.Role),
            new(SecurityStampClaim, account.SecurityStamp),
        };
        if (account.OrgId is not null)
        {
            claims.Add(new Claim(OrgIdClaim, account.OrgId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Reads the actor from an authenticated principal; null when it is not one of ours.</summary>
    public static Actor? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var name = principal.FindFirstValue(ClaimTypes.Name);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (id is null || name is null || role is not (Roles.Admin or Roles.PartnerAdmin))
        {
            return null;
        }

        var org = principal.FindFirstValue(OrgIdClaim);
        return role == Roles.PartnerAdmin && org is null ? null : new Actor(id, name, role, role == Roles.Admin ? null : org);
    }
}
