using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>
/// Adds, edits and removes partner users. The record and its pending workflow start are written in one transaction, then the
/// workflow is started and linked; should the host stop in between, <see cref="PendingStartReconciler"/> starts it.
/// </summary>
public sealed class PartnerUserService(OrgStore orgs, PartnerUserStore users, PendingStartRunner starts, CrashHook crash, TimeProvider time, ILogger<PartnerUserService> logger)
{
    /// <summary>
    /// Validates the person, records them with the pending start of new_partner_user (idempotency key org + normalised email), and
    /// starts it. The same request again (same org, email and names) answers with the same user and execution.
    /// </summary>
    public async Task<UserWorkflowResponse> AddAsync(Actor actor, AddUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var orgId = string.IsNullOrWhiteSpace(request.OrgId) ? (actor.IsAdmin ? null : actor.OrgId) : request.OrgId.Trim();
        if (orgId is null)
        {
            errors.Add("org_id", "The org id is required.");
        }

        errors.Add("email", InputRules.CheckEmail(request.Email));
        errors.Add("first_name", InputRules.CheckName(request.FirstName, "first name"));
        errors.Add("last_name", InputRules.CheckName(request.LastName, "last name"));
        var (notBefore, startError) = StartDates.Parse(request.StartAt, time.GetUtcNow());
        errors.Add("start_at", startError);
        OrgRecord? org = null;
        if (orgId is not null)
        {
            org = orgId.Length <= InputRules.MaxExternalIdLength && actor.CanSeeOrg(orgId) ? await orgs.GetAsync(orgId, cancellationToken) : null;
            if (org is null)
            {
                errors.Add("org_id", "No org with this id.");
            }
            else if (!org.Active)
            {
                errors.Add("org_id", $"The org '{org.Name}' is not active.");
            }
        }

        if (!errors.Any && !actor.IsAdmin && !org!.AllowsEmail(InputRules.NormalizeEmail(request.Email!)))
        {
            errors.Add("email", org.AllowedEmailDomains.Count == 0
                ? "Your org has no allowed email domains yet: ask an admin to set them."
                : $"A partner admin may add addresses in {string.Join(", ", org.AllowedEmailDomains)} only.");
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        var email = request.Email!.Trim();
        var normalized = InputRules.NormalizeEmail(email);
        var firstName = request.FirstName!.Trim();
        var lastName = request.LastName!.Trim();
        var input = new PartnerOnboardingInput
        {
            Org = org!.ToPartnerOrg(),
            User = new PartnerUser { Email = email, FirstName = firstName, LastName = lastName },
        };
        PendingStart Onboarding(PartnerUserRecord user) => NewStart(
            user, PartnerWorkflowNames.NewPartnerUser, $"{org.Id}:{normalized}" + (user.Generation > 1 ? $":{user.Generation}" : string.Empty), input, actor.AuditName) with { NotBefore = notBefore };
        var recorded = await users.RecordOnboardingAsync(org.Id, email, normalized, firstName, lastName, Onboarding, cancellationToken);
        if (recorded is null)
        {
            // A client that lost the answer (a timeout, a host that stopped) sends the same request again: answer it as the first.
            var existing = await users.FindAsync(org.Id, normalized, cancellationToken);
            if (existing is { Status: PartnerUserStatus.Onboarding or PartnerUserStatus.Active }
                && existing.FirstName == firstName && existing.LastName == lastName)
            {
                return await ResumeAsync(existing, PartnerWorkflowNames.NewPartnerUser, existing.OnboardingExecutionId, Onboarding, cancellationToken);
            }

            throw await ConflictAsync(org, normalized, cancellationToken);
        }

        crash.Reached(CrashHook.AddAfterRecord);
        string executionId;
        try
        {
            executionId = await starts.StartAsync(recorded.Start!, cancellationToken);
        }
        catch
        {
            // Nothing half-written: without a workflow there is no user (unless the reconciler started it meanwhile).
            await users.UndoAddAsync(recorded, CancellationToken.None);
            throw;
        }

        crash.Reached(CrashHook.AddAfterStart);
        await starts.CompleteAsync(recorded.Start!, executionId, cancellationToken);
        crash.Reached(CrashHook.AddAfterLink);
        LogStarted(logger, PartnerWorkflowNames.NewPartnerUser, executionId, recorded.User.Id, actor.AuditName);
        var saved = await users.GetAsync(recorded.User.Id, cancellationToken) ?? recorded.User;
        return new UserWorkflowResponse(UserResponse.From(saved), executionId, PartnerWorkflowNames.NewPartnerUser);
    }

    /// <summary>Changes a user's names in the host's record.</summary>
    public async Task<UserResponse> EditAsync(Actor actor, string id, EditUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(request);
        var user = await GetVisibleAsync(actor, id, cancellationToken);
        var errors = new FieldErrors();
        errors.Add("first_name", InputRules.CheckName(request.FirstName, "first name"));
        errors.Add("last_name", InputRules.CheckName(request.LastName, "last name"));
        if (request.Email is not null && !string.Equals(InputRules.NormalizeEmail(request.Email), user.NormalizedEmail, StringComparison.Ordinal))
        {
            errors.Add("email", "The email cannot be changed: remove the user and add the new address.");
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        if (user.Status == PartnerUserStatus.Removed)
        {
            throw ApiProblemException.Conflict("The user is removed.");
        }

        await users.UpdateNamesAsync(user.Id, request.FirstName!.Trim(), request.LastName!.Trim(), cancellationToken);
        return UserResponse.From((await users.GetAsync(user.Id, cancellationToken))!);
    }

    /// <summary>
    /// Moves the user to offboarding with the pending start of remove_partner_user, and starts it (cancelling an onboarding still
    /// under way). Removing a user who is being removed answers with the removal under way.
    /// </summary>
    public async Task<UserWorkflowResponse> RemoveAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await GetVisibleAsync(actor, id, cancellationToken);
        var org = await orgs.GetAsync(user.OrgId, cancellationToken) ?? throw ApiProblemException.NotFound("No user with this id.");
        PendingStart Removal(PartnerUserRecord before) => RemovalStart(org, before, actor.AuditName);
        var recorded = await users.BeginOffboardingAsync(user.Id, Removal, cancellationToken);
        if (recorded is null)
        {
            var current = await users.GetAsync(user.Id, cancellationToken) ?? throw ApiProblemException.NotFound("No user with this id.");
            if (current.Status == PartnerUserStatus.Offboarding)
            {
                return await ResumeAsync(current, PartnerWorkflowNames.RemovePartnerUser, current.OffboardingExecutionId, Removal, cancellationToken);
            }

            throw ApiProblemException.Conflict($"The user is {current.Status} already.");
        }

        crash.Reached(CrashHook.RemoveAfterRecord);
        string executionId;
        try
        {
            executionId = await starts.StartAsync(recorded.Start!, cancellationToken);
        }
        catch
        {
            await users.UndoOffboardingAsync(recorded, CancellationToken.None);
            throw;
        }

        crash.Reached(CrashHook.RemoveAfterStart);
        await starts.CompleteAsync(recorded.Start!, executionId, cancellationToken);
        crash.Reached(CrashHook.RemoveAfterLink);
        LogStarted(logger, PartnerWorkflowNames.RemovePartnerUser, executionId, user.Id, actor.AuditName);
        var saved = await users.GetAsync(user.Id, cancellationToken) ?? user;
        return new UserWorkflowResponse(UserResponse.From(saved), executionId, PartnerWorkflowNames.RemovePartnerUser);
    }

    /// <summary>Returns the user when the actor may see them; otherwise the same 404 as for an unknown id.</summary>
    public async Task<PartnerUserRecord> GetVisibleAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = id.Length <= 100 ? await users.GetAsync(id, cancellationToken) : null;
        return user is not null && actor.CanSeeOrg(user.OrgId) ? user : throw ApiProblemException.NotFound("No user with this id.");
    }

    // Which org has the person is only said when it is the caller's own: the other org, its ids and its execution stay unnamed.
    private async Task<ApiProblemException> ConflictAsync(OrgRecord org, string normalizedEmail, CancellationToken cancellationToken)
        => await users.BelongsToAnotherOrgAsync(org.Id, normalizedEmail, cancellationToken)
            ? ApiProblemException.Conflict($"{normalizedEmail} cannot be added: the address belongs to a user of another organisation. A person belongs to one organisation at a time.")
            : ApiProblemException.Conflict($"{normalizedEmail} is already a user of the org '{org.Name}'.");

    internal static Dictionary<string, string> Labels(string orgId, string normalizedEmail) => new()
    {
        [PartnerWorkflowNames.OrgLabel] = orgId,
        [PartnerWorkflowNames.EmailLabel] = normalizedEmail,
    };

    /// <summary>
    /// Answers a repeated request with the start the first one made: the linked execution, or the pending start run now (a request
    /// whose host stopped before starting it). A record from before pending starts existed, with neither, gets one.
    /// </summary>
    private async Task<UserWorkflowResponse> ResumeAsync(
        PartnerUserRecord user, string workflowName, string? executionId, Func<PartnerUserRecord, PendingStart> newStart, CancellationToken cancellationToken)
    {
        var pending = await users.GetPendingStartAsync(user.Id, workflowName, cancellationToken);
        if (pending is not null || executionId is null)
        {
            executionId = await starts.RunAsync(pending ?? await users.SavePendingStartAsync(newStart(user), cancellationToken), cancellationToken);
        }

        var saved = await users.GetAsync(user.Id, cancellationToken) ?? user;
        return new UserWorkflowResponse(UserResponse.From(saved), executionId, workflowName);
    }

    /// <summary>
    /// The pending start of remove_partner_user for a user record: one idempotency key per org, person and generation, so a person's
    /// removal and the clean-up after their cut-short onboarding are one execution.
    /// </summary>
    internal PendingStart RemovalStart(OrgRecord org, PartnerUserRecord before, string actor) => NewStart(
        before,
        PartnerWorkflowNames.RemovePartnerUser,
        $"remove:{org.Id}:{before.NormalizedEmail}:{before.Generation}",
        new PartnerOnboardingInput
        {
            Org = org.ToPartnerOrg(),
            User = new PartnerUser { Email = before.Email, FirstName = before.FirstName, LastName = before.LastName, Accounts = before.ToRecordedAccounts() },
        },
        actor);

    private PendingStart NewStart(PartnerUserRecord user, string workflowName, string idempotencyKey, PartnerOnboardingInput input, string actor) => new()
    {
        Id = Sql.NewId(),
        UserId = user.Id,
        Generation = user.Generation,
        WorkflowName = workflowName,
        IdempotencyKey = idempotencyKey,
        Input = JsonSerializer.Serialize(input, HyOppsJson.SerializerOptions),
        Labels = Labels(input.Org.Id!, user.NormalizedEmail),
        Actor = actor,
        CreatedAt = time.GetUtcNow(),
    };

    private static void LogStarted(ILogger logger, string workflow, string executionId, string userId, string actor)
        => logger.LogInformation("Started {Workflow} execution {ExecutionId} for partner user {UserId} ({Actor}).", workflow, executionId, userId, actor);
}
