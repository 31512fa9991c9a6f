using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Mvc;
using static HyOpps.SampleHost.Pages.Html;
using static HyOpps.SampleHost.Pages.OrgFormPages;

namespace HyOpps.SampleHost.Pages;

/// <summary>Edit a user's names, and remove a user after a confirmation; the same rules as the API (admins everywhere, a partner admin in their org).</summary>
internal static class UserFormPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/users/{id}/edit", EditAsync).ExcludeFromDescription();
        app.MapPost("/users/{id}/edit", UpdateAsync).ExcludeFromDescription();
        app.MapGet("/users/{id}/remove", ConfirmRemoveAsync).ExcludeFromDescription();
        app.MapPost("/users/{id}/remove", RemoveAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> EditAsync(string id, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        var user = await FindAsync(http, service, id, cancellationToken);
        return user is null ? NotFound(http) : EditForm(http, user, new EditUserForm { FirstName = user.FirstName, LastName = user.LastName }, null);
    }

    private static async Task<IResult> UpdateAsync(string id, [FromForm] EditUserForm? form, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        form ??= new EditUserForm();
        var user = await FindAsync(http, service, id, cancellationToken);
        if (user is null)
        {
            return NotFound(http);
        }

        try
        {
            await service.EditAsync(http.Actor(), user.Id, new EditUserRequest(form.FirstName, form.LastName, null), cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(user.OrgId)}");
        }
        catch (ApiProblemException ex) when (ex.Status != StatusCodes.Status404NotFound)
        {
            return EditForm(http, user, form, new FormProblem(ex, conflictField: "user"));
        }
        catch (ApiProblemException)
        {
            return NotFound(http);
        }
    }

    private static IResult EditForm(HttpContext http, PartnerUserRecord user, EditUserForm form, FormProblem? problem)
    {
        var orgUrl = $"/orgs/{E(Uri.EscapeDataString(user.OrgId))}";
        var body = $"""
            {problem?.Render() ?? string.Empty}
            <form method="post" action="/users/{E(Uri.EscapeDataString(user.Id))}/edit" data-testid="edit-user-form">
              {Antiforgery(http)}
              <p>Email: <code data-testid="user-email">{E(user.Email)}</code> <small>(cannot change: remove the user and add the new address)</small></p>
              <p><label>First name <input name="FirstName" required maxlength="{InputRules.MaxNameLength}" value="{E(form.FirstName)}" data-testid="first-name"></label></p>
              <p><label>Last name <input name="LastName" required maxlength="{InputRules.MaxNameLength}" value="{E(form.LastName)}" data-testid="last-name"></label></p>
              <p><button data-testid="save-user">Save changes</button> <a href="{orgUrl}" data-testid="cancel">Cancel</a></p>
            </form>
            """;
        return Page($"Edit {user.FirstName} {user.LastName}", body, problem?.Status ?? StatusCodes.Status200OK, http);
    }

    private static async Task<IResult> ConfirmRemoveAsync(string id, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        var user = await FindAsync(http, service, id, cancellationToken);
        return user is null ? NotFound(http) : RemoveForm(http, user, null);
    }

    private static async Task<IResult> RemoveAsync(string id, [FromForm] RemoveUserForm? form, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        var user = await FindAsync(http, service, id, cancellationToken);
        if (user is null)
        {
            return NotFound(http);
        }

        if (!string.Equals(form?.Confirm, "yes", StringComparison.Ordinal))
        {
            return RemoveForm(http, user, new FormProblem(StatusCodes.Status400BadRequest, "confirm", "Tick the box to confirm the removal; nothing was changed."));
        }

        try
        {
            var result = await service.RemoveAsync(http.Actor(), user.Id, cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(result.User.OrgId)}");
        }
        catch (ApiProblemException ex) when (ex.Status != StatusCodes.Status404NotFound)
        {
            return RemoveForm(http, user, new FormProblem(ex, conflictField: "user"));
        }
        catch (ApiProblemException)
        {
            return NotFound(http);
        }
    }

    private static IResult RemoveForm(HttpContext http, PartnerUserRecord user, FormProblem? problem)
    {
        var orgUrl = $"/orgs/{E(Uri.EscapeDataString(user.OrgId))}";
        var removable = user.Status is not (PartnerUserStatus.Removed or PartnerUserStatus.Offboarding);
        var form = !removable
            ? $"<p data-testid=\"not-removable\">The user is {E(user.Status)} already. <a href=\"{orgUrl}\">Back to the org</a></p>"
            : $"""
                <form method="post" action="/users/{E(Uri.EscapeDataString(user.Id))}/remove" data-testid="remove-user-form">
                  {Antiforgery(http)}
                  <p><label><input type="checkbox" name="Confirm" value="yes" required data-testid="remove-confirm"> I understand that {E(user.Email)} loses access to every service of the org.</label></p>
                  <p><button data-testid="remove-button">Remove the user</button> <a href="{orgUrl}" data-testid="cancel">Cancel</a></p>
                </form>
                """;
        var body = $"""
            {problem?.Render() ?? string.Empty}
            <p>Removing <strong data-testid="user-name">{E(user.FirstName)} {E(user.LastName)}</strong> (<code data-testid="user-email">{E(user.Email)}</code>, {E(user.Status)})
            starts the <code>remove_partner_user</code> workflow: it cancels an onboarding still under way, takes the user out of the org's
            Metabase group and deactivates their Metabase account, removes them from the Teams team, the Slack user group and the Atlassian group, and marks them removed. It cannot be undone; add the user again to restore access.</p>
            {form}
            """;
        return Page($"Remove {user.FirstName} {user.LastName}", body, problem?.Status ?? StatusCodes.Status200OK, http);
    }

    // A user of another org answers exactly like an unknown id.
    private static async Task<PartnerUserRecord?> FindAsync(HttpContext http, PartnerUserService service, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await service.GetVisibleAsync(http.Actor(), id, cancellationToken);
        }
        catch (ApiProblemException)
        {
            return null;
        }
    }

    private static IResult NotFound(HttpContext http) => Page("Not found", "<p>No user with this id.</p>", StatusCodes.Status404NotFound, http);

    /// <summary>The edit form: the names (the email cannot change).</summary>
    internal sealed class EditUserForm
    {
        public string? FirstName { get; set; }

        public string? LastName { get; set; }
    }

    /// <summary>The remove form: the confirmation box, "yes" when ticked.</summary>
    internal sealed class RemoveUserForm
    {
        public string? Confirm { get; set; }
    }
}
