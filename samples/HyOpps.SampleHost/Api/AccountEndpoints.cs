using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;

namespace HyOpps.SampleHost.Api;

/// <summary>/api/me, the signed-in account's API keys, and (admins) the accounts.</summary>
internal static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/me", (HttpContext http) =>
        {
            var actor = http.Actor();
            return Results.Ok(new { account_id = actor.AccountId, user_name = actor.UserName, role = actor.Role, org_id = actor.OrgId });
        }).WithTags("Account").WithName("GetMe");

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
    }
}
