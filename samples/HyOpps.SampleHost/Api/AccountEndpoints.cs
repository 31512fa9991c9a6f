using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HyOpps.SampleHost.Api;

/// <summary>/api/me, the antiforgery token, the signed-in account's password and API keys, and (admins) the accounts.</summary>
internal static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) =>
        {
            var actor = http.Actor();
            return Results.Ok(new { account_id = actor.AccountId, user_name = actor.UserName, role = actor.Role, org_id = actor.OrgId });
        }).WithTags("Account").WithName("GetMe");

        // A signed-in browser's state-changing API calls carry this token in a header (see ApiAntiforgery).
        api.MapGet("/account/antiforgery", (HttpContext http, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(http);
            return Results.Ok(new { header_name = ApiAntiforgery.HeaderName, token = tokens.RequestToken });
        }).WithTags("Account").WithName("GetAntiforgeryToken");

        api.MapPost("/account/password", ChangePasswordAsync).WithTags("Account").WithName("ChangePassword");

        var keys = api.MapGroup("/account/api-keys").WithTags("Account");
        keys.MapGet("/", async (HttpContext http, AccountStore accounts, CancellationToken ct)
            => Results.Ok(await accounts.ListApiKeysAsync(http.Actor().AccountId, ct))).WithName("ListApiKeys");
        keys.MapPost("/", async (CreateApiKeyRequest request, HttpContext http, AccountStore accounts, CancellationToken ct) =>
        {
            var name = request.Name?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
            {
                throw ApiProblemException.Invalid("name", "The name is required: at most 100 characters, without control characters.");
            }

            var (info, key) = await accounts.CreateApiKeyAsync(http.Actor().AccountId, name, ct);
            return Results.Created($"/api/account/api-keys/{info.Id}", new CreatedApiKeyResponse(info.Id, info.Name, key, info.CreatedAt));
        }).WithName("CreateApiKey");
        keys.MapDelete("/{id}", async (string id, HttpContext http, AccountStore accounts, CancellationToken ct)
            => await accounts.DeleteApiKeyAsync(http.Actor().AccountId, id, ct) ? Results.NoContent() : ApiResults.NotFound("No API key with this id.")).WithName("DeleteApiKey");

        var admin = api.MapGroup("/accounts").WithTags("Account").RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy);
        admin.MapGet("/", async (AccountStore accounts, CancellationToken ct)
            => Results.Ok((await accounts.ListAsync(ct)).Select(AccountResponse.From))).WithName("ListAccounts");
        admin.MapPost("/", async (CreateAccountRequest request, AccountStore accounts, OrgStore orgs, CancellationToken ct) =>
        {
            var errors = new FieldErrors();
            var userName = request.UserName?.Trim();
            if (string.IsNullOrEmpty(userName) || userName.Length > 100 || userName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                errors.Add("user_name", "The user name is required: at most 100 characters, without spaces or control characters.");
            }

            if (request.Password is null || request.Password.Length < 12 || request.Password.Length > 200)
            {
                errors.Add("password", "The password must be 12 to 200 characters long.");
            }

            if (request.Role is not (Roles.Admin or Roles.PartnerAdmin))
            {
                errors.Add("role", $"The role must be {Roles.Admin} or {Roles.PartnerAdmin}.");
            }
            else if (request.Role == Roles.PartnerAdmin && (string.IsNullOrWhiteSpace(request.OrgId) || await orgs.GetAsync(request.OrgId, ct) is null))
            {
                errors.Add("org_id", "A partner admin needs the id of an existing org.");
            }
            else if (request.Role == Roles.Admin && !string.IsNullOrWhiteSpace(request.OrgId))
            {
                errors.Add("org_id", "An admin is bound to no org.");
            }

            if (errors.Any)
            {
                throw ApiProblemException.Invalid(errors);
            }

            var account = await accounts.CreateAsync(userName!, request.Password!, request.Role!, request.Role == Roles.PartnerAdmin ? request.OrgId : null, ct)
                ?? throw ApiProblemException.Conflict($"The user name '{userName}' is taken.");
            return Results.Created($"/api/accounts/{account.Id}", AccountResponse.From(account));
        }).WithName("CreateAccount");
        admin.MapDelete("/{id}", async (string id, HttpContext http, AccountStore accounts, CancellationToken ct) =>
        {
            if (string.Equals(id, http.Actor().AccountId, StringComparison.Ordinal))
            {
                throw ApiProblemException.Conflict("An admin cannot remove their own account.");
            }

            // Deleting the row ends the account's sessions (checked on each request) and its API keys (cascade).
            return id.Length <= 100 && await accounts.DeleteAsync(id, ct) ? Results.NoContent() : ApiResults.NotFound("No account with this id.");
        }).WithName("DeleteAccount");
    }

    // A new password gets a new security stamp: every other session of the account ends; a browser changing it is signed in again.
    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest request, HttpContext http, AccountStore accounts, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var account = await accounts.GetAsync(actor.AccountId, cancellationToken) ?? throw ApiProblemException.NotFound("No account with this id.");
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword) || request.CurrentPassword.Length > 200 || !AccountStore.IsPassword(account, request.CurrentPassword))
        {
            errors.Add("current_password", "The current password is wrong.");
        }

        if (request.NewPassword is null || request.NewPassword.Length < 12 || request.NewPassword.Length > 200)
        {
            errors.Add("new_password", "The new password must be 12 to 200 characters long.");
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        var stamp = await accounts.SetPasswordAsync(account, request.NewPassword!, cancellationToken);
        if (http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                Actor.ToPrincipal(account with { SecurityStamp = stamp }, CookieAuthenticationDefaults.AuthenticationScheme));
        }

        return Results.NoContent();
    }
}
