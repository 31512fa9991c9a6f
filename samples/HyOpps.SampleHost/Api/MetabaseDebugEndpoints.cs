using HyOpps.Integrations.Metabase;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Security;

namespace HyOpps.SampleHost.Api;

/// <summary>
/// GET /api/metabase/debug/user/{id}: what Metabase says about a user (groups read from user_group_memberships) and which partner
/// users the host links to it. Mapped only in the Development environment and for admins; elsewhere the route does not exist (404).
/// </summary>
internal static class MetabaseDebugEndpoints
{
    public static void Map(RouteGroupBuilder api, IWebHostEnvironment environment)
    {
        if (!environment.IsDevelopment())
        {
            return;
        }

        api.MapGet("/metabase/debug/user/{id:int}", GetAsync)
            .RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy)
            .WithTags("Metabase")
            .WithName("MetabaseDebugUser");
    }

    private static async Task<IResult> GetAsync(int id, IMetabaseUserLookup lookup, PartnerUserStore users, CancellationToken cancellationToken)
    {
        MetabaseUser? user;
        try
        {
            user = await lookup.GetUserAsync(id, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Metabase is not available", detail: ex.Message);
        }
        catch (MetabaseApiException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Metabase answered an error", detail: ex.Message);
        }

        if (user is null)
        {
            return ApiResults.NotFound($"Metabase has no user {id}.");
        }

        var linked = (await users.ListAsync(null, null, cancellationToken)).Where(u => u.MetabaseUserId == id).Select(UserResponse.From).ToArray();
        return Results.Ok(new
        {
            metabase_user = new
            {
                id = user.Id,
                email = user.Email,
                first_name = user.FirstName,
                last_name = user.LastName,
                is_active = user.IsActive,
                is_superuser = user.IsSuperuser,
                groups = user.Groups.Select(g => new { id = g.Id, name = g.Name, is_group_manager = g.IsGroupManager }),
            },
            partner_users = linked,
        });
    }
}
