using System.Net;
using HyOpps.Integrations.Metabase.Internal;

namespace HyOpps.Integrations.Metabase;

/// <summary>Gives the partner user an active Metabase account: finds it by email, reactivates a deactivated one, or creates it.</summary>
/// <remarks>
/// Idempotent: the lookup (<c>GET /api/user?status=all</c>, exact email match) runs first, so a second run finds the user the
/// first created; a checkpoint keeps <c>action: created</c> (or <c>reactivated</c>) across such a rerun, because offboarding may
/// deactivate only an account HyOpps made. A user found by email who is a superuser or in the Administrators group fails the
/// step permanently and is left alone. A definition skips this step for an org without a Metabase group (an account with no
/// group would only get All Users access). Output: <see cref="CreateMetabaseAccountOutput"/>.
/// </remarks>
[HyOppsStep("create_metabase_account", typeof(MetabaseConnection))]
public sealed partial class CreateMetabaseAccountStep : IWorkflowStep<CreateMetabaseAccountInput>
{
    private async ValueTask<StepResult> RunAsync(CreateMetabaseAccountInput input, MetabaseSession session, StepContext context, CancellationToken cancellationToken)
    {
        var (settings, client) = session;
        var email = MetabaseStepSupport.RequireEmail(input.Email);

        var user = await FindAsync(client, settings, email, cancellationToken).ConfigureAwait(false);
        var action = CreateMetabaseAccountOutput.Found;
        if (user is not null)
        {
            await MetabaseStepSupport.EnsureNotPrivilegedAsync(client, settings, user, cancellationToken).ConfigureAwait(false);

            // An earlier attempt made this account and its answer was lost: it is still ours, not found.
            if (context.GetCheckpoint<CreateMetabaseAccountOutput>() is { } made && made.MetabaseUserId == user.Id)
            {
                action = made.Action;
            }
        }
        else
        {
            try
            {
                user = await client.CreateUserAsync(email, input.FirstName, input.LastName, cancellationToken).ConfigureAwait(false);
                action = CreateMetabaseAccountOutput.Created;
                await SaveMadeAsync(context, user.Id, action, cancellationToken).ConfigureAwait(false);
                LogCreated(context.Logger, user.Id);
            }
            catch (MetabaseApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest
                && ex.ServiceMessage?.Contains("email", StringComparison.OrdinalIgnoreCase) == true)
            {
                // Created meanwhile (a concurrent run, or an earlier attempt whose answer was lost): use that user.
                user = await FindAsync(client, settings, email, cancellationToken).ConfigureAwait(false)
                    ?? throw MetabaseStepSupport.ToStepException(ex, settings, $"creating the Metabase user {email}");
            }
            catch (MetabaseApiException ex)
            {
                throw MetabaseStepSupport.ToStepException(ex, settings, $"creating the Metabase user {email}");
            }
        }

        if (!user.IsActive)
        {
            try
            {
                user = await client.ReactivateUserAsync(user.Id, cancellationToken).ConfigureAwait(false);
                action = CreateMetabaseAccountOutput.Reactivated;
                await SaveMadeAsync(context, user.Id, action, cancellationToken).ConfigureAwait(false);
                LogReactivated(context.Logger, user.Id);
            }
            catch (MetabaseApiException ex) when (ex.StatusCode == HttpStatusCode.BadRequest
                && ex.ServiceMessage?.Contains("active user", StringComparison.OrdinalIgnoreCase) == true)
            {
                // "Not able to reactivate an active user": someone reactivated it meanwhile.
            }
            catch (MetabaseApiException ex)
            {
                throw MetabaseStepSupport.ToStepException(ex, settings, $"reactivating the Metabase user {user.Id}");
            }
        }
        else if (action == CreateMetabaseAccountOutput.Found)
        {
            LogFound(context.Logger, user.Id);
        }

        return StepResult.Succeeded(new CreateMetabaseAccountOutput { MetabaseUserId = user.Id, Action = action });
    }

    // Offboarding may deactivate only accounts HyOpps made, so what this step made must survive a crash before the step completes.
    private static async Task SaveMadeAsync(StepContext context, int userId, string action, CancellationToken cancellationToken)
        => await context.SaveCheckpointAsync(new CreateMetabaseAccountOutput { MetabaseUserId = userId, Action = action }, cancellationToken).ConfigureAwait(false);

    private static Task<MetabaseUserDto?> FindAsync(MetabaseClient client, MetabaseOptions settings, string email, CancellationToken cancellationToken)
        => MetabaseStepSupport.CallAsync(settings, $"looking up the Metabase user {email}", () => client.FindUserByEmailAsync(email, cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Found the active Metabase user {MetabaseUserId}.")]
    private static partial void LogFound(ILogger logger, int metabaseUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reactivated the Metabase user {MetabaseUserId}.")]
    private static partial void LogReactivated(ILogger logger, int metabaseUserId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the Metabase user {MetabaseUserId}.")]
    private static partial void LogCreated(ILogger logger, int metabaseUserId);
}
