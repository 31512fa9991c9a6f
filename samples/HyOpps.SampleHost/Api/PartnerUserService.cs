using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>Adds, edits and removes partner users: the record and the workflow it starts, or neither.</summary>
public sealed class PartnerUserService(OrgStore orgs, PartnerUserStore users, IWorkflowClient workflows, ILogger<PartnerUserService> logger)
{
    private static readonly ExecutionStatus[] Unsettled = [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.WaitingForApproval];

    /// <summary>Validates the person, records them and starts new_partner_user (idempotency key org + normalised email).</summary>
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
        var record = await users.AddForOnboardingAsync(org!.Id, email, normalized, firstName, lastName, cancellationToken)
            ?? throw await ConflictAsync(org, normalized, cancellationToken);
        string executionId;
        try
        {
            var input = new PartnerOnboardingInput
            {
                Org = org.ToPartnerOrg(),
                User = new PartnerUser { Email = email, FirstName = firstName, LastName = lastName },
            };
            var key = $"{org.Id}:{normalized}" + (record.Generation > 1 ? $":{record.Generation}" : string.Empty);
            var started = await workflows.StartAsync(PartnerWorkflowNames.NewPartnerUser, input, new StartExecutionOptions
            {
                IdempotencyKey = key,
                Labels = Labels(org.Id, normalized),
                Actor = actor.AuditName,
            }, cancellationToken);
            executionId = started.ExecutionId;
        }
        catch
        {
            // Nothing half-written: without a workflow there is no user.
            await users.UndoAddAsync(record, CancellationToken.None);
            throw;
        }

        await users.SetOnboardingExecutionAsync(record.Id, executionId, cancellationToken);
        LogStarted(logger, PartnerWorkflowNames.NewPartnerUser, executionId, record.Id, actor.AuditName);
        var saved = await users.GetAsync(record.Id, cancellationToken) ?? record;
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

    /// <summary>Starts remove_partner_user (cancelling an onboarding still under way).</summary>
    public async Task<UserWorkflowResponse> RemoveAsync(Actor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await GetVisibleAsync(actor, id, cancellationToken);
        var org = await orgs.GetAsync(user.OrgId, cancellationToken) ?? throw ApiProblemException.NotFound("No user with this id.");
        var before = await users.BeginOffboardingAsync(user.Id, cancellationToken)
            ?? throw ApiProblemException.Conflict($"The user is {user.Status} already.");
        string executionId;
        try
        {
            if (before.OnboardingExecutionId is { } onboarding
                && await workflows.GetAsync(onboarding, cancellationToken) is { } running
                && Unsettled.Contains(running.Status))
            {
                try
                {
                    await workflows.CancelAsync(onboarding, new OperatorAction(actor.AuditName, "The user is being removed."), cancellationToken);
                }
                catch (ExecutionStateException)
                {
                    // It settled in the meantime; offboarding undoes whatever it did.
                }
            }

            // Read again after the cancel: offboarding acts only on the accounts the onboarding recorded, up to its last step.
            var recorded = await users.GetAsync(user.Id, cancellationToken) ?? before;
            var input = new PartnerOnboardingInput
            {
                Org = org.ToPartnerOrg(),
                User = new PartnerUser { Email = user.Email, FirstName = user.FirstName, LastName = user.LastName, Accounts = recorded.ToRecordedAccounts() },
            };
            var started = await workflows.StartAsync(PartnerWorkflowNames.RemovePartnerUser, input, new StartExecutionOptions
            {
                IdempotencyKey = $"remove:{org.Id}:{user.NormalizedEmail}:{user.Generation}",
                Labels = Labels(org.Id, user.NormalizedEmail),
                Actor = actor.AuditName,
            }, cancellationToken);
            executionId = started.ExecutionId;
        }
        catch
        {
            await users.UndoOffboardingAsync(before, CancellationToken.None);
            throw;
        }

        await users.SetOffboardingExecutionAsync(user.Id, executionId, cancellationToken);
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

    private static void LogStarted(ILogger logger, string workflow, string executionId, string userId, string actor)
        => logger.LogInformation("Started {Workflow} execution {ExecutionId} for partner user {UserId} ({Actor}).", workflow, executionId, userId, actor);
}
