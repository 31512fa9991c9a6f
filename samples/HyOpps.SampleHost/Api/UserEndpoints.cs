using Microsoft.AspNetCore.Mvc;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;

namespace HyOpps.SampleHost.Api;

/// <summary>/api/users: list, detail, add (starts new_partner_user), edit, remove (starts remove_partner_user).</summary>
internal static class UserEndpoints
{
    private static readonly string[] Statuses = [PartnerUserStatus.Onboarding, PartnerUserStatus.Active, PartnerUserStatus.Offboarding, PartnerUserStatus.Removed];

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users");
        group.MapGet("/", ListAsync).WithName("ListUsers");
        group.MapGet("/{id}", GetAsync).WithName("GetUser");
        group.MapPost("/", AddAsync).WithName("AddUser");
        group.MapPut("/{id}", EditAsync).WithName("EditUser");
        group.MapDelete("/{id}", RemoveAsync).WithName("RemoveUser");
    }

    private static async Task<IResult> ListAsync(HttpContext http, OrgStore orgs, PartnerUserStore users, [FromQuery(Name = "org_id")] string? orgId, [FromQuery(Name = "status")] string? status, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        if (status is not null && !Statuses.Contains(status))
        {
            throw ApiProblemException.Invalid("status", $"Unknown status '{InputRules.Shorten(status)}'; use one of {string.Join(", ", Statuses)}.");
        }

        string? filter;
        if (!string.IsNullOrWhiteSpace(orgId))
        {
            filter = (await OrgEndpoints.GetVisibleAsync(actor, orgId, orgs, cancellationToken)).Id;
        }
        else
        {
            filter = actor.IsAdmin ? null : actor.OrgId;
        }

        var list = await users.ListAsync(filter, status, cancellationToken);
        return Results.Ok(list.Select(UserResponse.From));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
        => Results.Ok(UserResponse.From(await service.GetVisibleAsync(http.Actor(), id, cancellationToken)));

    private static async Task<IResult> AddAsync(AddUserRequest request, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        var result = await service.AddAsync(http.Actor(), request, cancellationToken);
        return Results.Accepted($"/api/users/{result.User.Id}", result);
    }

    private static async Task<IResult> EditAsync(string id, EditUserRequest request, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
        => Results.Ok(await service.EditAsync(http.Actor(), id, request, cancellationToken));

    private static async Task<IResult> RemoveAsync(string id, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        var result = await service.RemoveAsync(http.Actor(), id, cancellationToken);
        return Results.Accepted($"/api/users/{result.User.Id}", result);
    }
}
