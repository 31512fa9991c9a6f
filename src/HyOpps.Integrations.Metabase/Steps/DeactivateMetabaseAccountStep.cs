using HyOpps.Integrations.Metabase.Internal;

namespace HyOpps.Integrations.Metabase;

/// <summary>Deactivates the partner user's Metabase account, for offboarding.</summary>
/// <remarks>
/// <para>
/// Reads <see cref="DeactivateMetabaseAccountInput"/>: it acts only on the Metabase user recorded by the person's onboarding,
/// never on one found by email, and only when HyOpps created or reactivated it: an account onboarding found existing is left active (the group step
/// removed it from the org's group) and the step is skipped saying so. It deactivates an active user (<c>DELETE /api/user/:id</c>)
/// and reads it back to confirm; one already deactivated or gone is a success. An administrator fails the step permanently.
/// </para>
/// <para>Output: <see cref="DeactivateMetabaseAccountOutput"/>.</para>
/// </remarks>
// The connection is opened only after the skip, so that an account HyOpps did not make is skipped even while Metabase is not configured.
[HyOppsStep("deactivate_metabase_account", typeof(MetabaseConnection), Required = [nameof(DeactivateMetabaseAccountInput.MetabaseUserId)], OpensConnection = false)]
public sealed partial class DeactivateMetabaseAccountStep : IWorkflowStep<DeactivateMetabaseAccountInput>
{
    private async ValueTask<StepResult> RunAsync(DeactivateMetabaseAccountInput input, StepContext context, CancellationToken cancellationToken)
    {
        var userId = input.MetabaseUserId;
        if (!input.CreatedByHyOpps)
        {
            return StepResult.Skipped(
                $"The Metabase user {userId} existed before this person's onboarding, so HyOpps does not deactivate it; it is only removed from the org's group.",
                new DeactivateMetabaseAccountOutput { MetabaseUserId = userId, Action = DeactivateMetabaseAccountOutput.NotOurs });
        }

        var (settings, client) = _connection.Open(context);

        var user = await MetabaseStepSupport.CallAsync(settings, $"reading the Metabase user {userId}", () => client.GetUserAsync(userId, cancellationToken))
            .ConfigureAwait(false);
        if (user is null)
        {
            return Done(userId, DeactivateMetabaseAccountOutput.NotFound);
        }

        await MetabaseStepSupport.EnsureNotPrivilegedAsync(client, settings, user, cancellationToken).ConfigureAwait(false);
        if (!user.IsActive)
        {
            return Done(user.Id, DeactivateMetabaseAccountOutput.AlreadyInactive);
        }

        var deactivated = await MetabaseStepSupport.CallAsync(settings, $"deactivating the Metabase user {user.Id}", () => client.DeactivateUserAsync(user.Id, cancellationToken))
            .ConfigureAwait(false);
        if (!deactivated)
        {
            return Done(user.Id, DeactivateMetabaseAccountOutput.NotFound);
        }

        var after = await MetabaseStepSupport.CallAsync(settings, $"reading the Metabase user {user.Id}", () => client.GetUserAsync(user.Id, cancellationToken))
            .ConfigureAwait(false);
        if (after is { IsActive: true })
        {
            throw StepException.Transient(
                $"The Metabase user {user.Id} is still active after DELETE /api/user/{user.Id} answered success.",
                MetabaseStepSupport.NotVerified);
        }

        LogDeactivated(context.Logger, user.Id);
        return Done(user.Id, DeactivateMetabaseAccountOutput.Deactivated);
    }

    private static StepResult Done(int? userId, string action)
        => StepResult.Succeeded(new DeactivateMetabaseAccountOutput { MetabaseUserId = userId, Action = action });

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivated the Metabase user {MetabaseUserId}.")]
    private static partial void LogDeactivated(ILogger logger, int metabaseUserId);
}
