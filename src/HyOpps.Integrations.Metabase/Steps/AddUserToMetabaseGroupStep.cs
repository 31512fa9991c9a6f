using HyOpps.Integrations.Metabase.Internal;

namespace HyOpps.Integrations.Metabase;

/// <summary>Adds the partner user to their org's Metabase group, then reads the user back to prove the membership holds.</summary>
/// <remarks>
/// <para>
/// Reads <see cref="AddUserToMetabaseGroupInput"/>. The user id comes from the input (a definition maps it from the output of
/// <see cref="CreateMetabaseAccountStep"/>), or else from a lookup by email. The step checks that the group exists (a missing group is a permanent failure naming its id), adds the
/// membership unless the user is in the group already, and then confirms the group is listed in <c>user_group_memberships</c>
/// of <c>GET /api/user/:id</c>. It never reports success on the add alone: when the read-back lacks the group the step fails
/// (retryably) with error type <c>not_verified</c>. The Administrators group is refused, and so is a user who is an administrator.
/// </para>
/// <para>Output: <see cref="AddUserToMetabaseGroupOutput"/>.</para>
/// </remarks>
[HyOppsStep("add_user_to_metabase_group", typeof(MetabaseConnection), Required = [nameof(AddUserToMetabaseGroupInput.GroupId)])]
public sealed partial class AddUserToMetabaseGroupStep : IWorkflowStep<AddUserToMetabaseGroupInput>
{
    private async ValueTask<StepResult> RunAsync(AddUserToMetabaseGroupInput input, MetabaseSession session, StepContext context, CancellationToken cancellationToken)
    {
        var groupId = input.GroupId;
        var (settings, client) = session;
        var userId = await ResolveUserIdAsync(context, input, client, settings, cancellationToken).ConfigureAwait(false);

        var groups = await MetabaseStepSupport.CallAsync(settings, "listing the Metabase groups", () => client.ListGroupsAsync(cancellationToken)).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => g.Id == groupId)
            ?? throw StepException.Permanent(
                $"The Metabase group {groupId} (the org's Metabase group id) does not exist. "
                + "Fix the org's Metabase group id, or create the group in Metabase (Admin settings → People → Groups).",
                StepErrorTypes.NotFound);
        if (group.IsAdministrators)
        {
            throw StepException.Permanent(
                $"The Metabase group {groupId} is the Administrators group; partner users are never made administrators. Fix the org's Metabase group id.",
                StepErrorTypes.InvalidInput);
        }

        var user = await GetUserAsync(client, settings, userId, cancellationToken).ConfigureAwait(false);
        await MetabaseStepSupport.EnsureNotPrivilegedAsync(client, settings, user, cancellationToken).ConfigureAwait(false);
        var action = AddUserToMetabaseGroupOutput.AlreadyMember;
        MetabaseApiException? addFailure = null;
        if (!user.AllGroupIds.Contains(groupId))
        {
            try
            {
                await client.AddMembershipAsync(userId, groupId, cancellationToken).ConfigureAwait(false);
            }
            catch (MetabaseApiException ex) when (ex.StatusCode is { } status && (int)status >= 500)
            {
                // A duplicate membership answers 500: the add may have happened in a run whose answer was lost. The read-back decides.
                LogAddFailedCheckingBack(context.Logger, userId, groupId, (int)status);
                addFailure = ex;
            }
            catch (MetabaseApiException ex)
            {
                throw MetabaseStepSupport.ToStepException(ex, settings, $"adding the Metabase user {userId} to the group {groupId}");
            }

            action = AddUserToMetabaseGroupOutput.Added;
            user = await GetUserAsync(client, settings, userId, cancellationToken).ConfigureAwait(false);
        }

        if (!user.AllGroupIds.Contains(groupId))
        {
            if (addFailure is not null)
            {
                throw MetabaseStepSupport.ToStepException(addFailure, settings, $"adding the Metabase user {userId} to the group {groupId}");
            }

            throw StepException.Transient(
                $"The Metabase user {userId} is not in the group {groupId} ('{group.Name}') after it was added: GET /api/user/{userId} "
                + $"lists the groups [{string.Join(", ", user.AllGroupIds)}] in user_group_memberships. The membership did not hold; "
                + "check the group in Metabase (Admin settings → People → Groups).",
                MetabaseStepSupport.NotVerified);
        }

        LogVerified(context.Logger, userId, groupId, action);
        return StepResult.Succeeded(new AddUserToMetabaseGroupOutput
        {
            MetabaseUserId = userId,
            MetabaseGroupId = groupId,
            MetabaseGroupName = group.Name,
            Action = action,
            Verified = true,
        });
    }

    private static async Task<int> ResolveUserIdAsync(
        StepContext context, AddUserToMetabaseGroupInput input, MetabaseClient client, MetabaseOptions settings, CancellationToken cancellationToken)
    {
        if (input.MetabaseUserId is { } known)
        {
            return StepInputs.RequiredId(known, "metabase_user_id", "Metabase");
        }

        // Not run in this workflow (or re-run alone): find the account by email.
        var email = MetabaseStepSupport.RequireEmail(input.Email);
        var user = await MetabaseStepSupport.CallAsync(settings, $"looking up the Metabase user {email}", () => client.FindUserByEmailAsync(email, cancellationToken))
            .ConfigureAwait(false)
            ?? throw StepException.Permanent(
                $"No Metabase user has the email {email}, and step '{CreateMetabaseAccountStep.Id}' gave no metabase_user_id. Run '{CreateMetabaseAccountStep.Id}' first.",
                StepErrorTypes.MissingOutput);
        if (!user.IsActive)
        {
            throw StepException.Permanent(
                $"The Metabase user {user.Id} ({email}) is deactivated. Run '{CreateMetabaseAccountStep.Id}' first to reactivate it.",
                StepErrorTypes.InvalidInput);
        }

        return user.Id;
    }

    private static async Task<MetabaseUserDto> GetUserAsync(MetabaseClient client, MetabaseOptions settings, int userId, CancellationToken cancellationToken)
        => await MetabaseStepSupport.CallAsync(settings, $"reading the Metabase user {userId}", () => client.GetUserAsync(userId, cancellationToken)).ConfigureAwait(false)
            ?? throw StepException.Permanent(
                $"The Metabase user {userId} does not exist (GET /api/user/{userId} answered 404). Re-run '{CreateMetabaseAccountStep.Id}'.",
                StepErrorTypes.NotFound);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Adding the Metabase user {MetabaseUserId} to the group {MetabaseGroupId} answered {StatusCode}; reading the user back to decide.")]
    private static partial void LogAddFailedCheckingBack(ILogger logger, int metabaseUserId, int metabaseGroupId, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "The Metabase user {MetabaseUserId} is in the group {MetabaseGroupId}, verified by read-back ({Action}).")]
    private static partial void LogVerified(ILogger logger, int metabaseUserId, int metabaseGroupId, string action);
}
