using Microsoft.Graph.Models;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>What the three Teams steps share: the guest rule and failure mapping around Graph calls.</summary>
internal static class TeamsStepSupport
{
    /// <summary>Fails permanently for a tenant member (any <c>userType</c> but <c>Guest</c>): HyOpps manages only guests.</summary>
    public static void EnsureGuest(User user)
    {
        if (!string.Equals(user.UserType, "Guest", StringComparison.OrdinalIgnoreCase))
        {
            throw StepException.Permanent(
                $"The directory user {user.Id} is a {user.UserType ?? "user of unknown type"} of the tenant, not a guest; HyOpps never manages tenant members, "
                + "so nothing was added or removed. Manage this person's team membership by hand.",
                StepErrorTypes.PermissionDenied);
        }
    }

    /// <summary>Runs a Graph call and turns its failures into step failures that name the operation and permission.</summary>
    public static async Task<T> CallAsync<T>(
        Func<Task<T>> call, TeamsOptions options, string operation, string permission, StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StepException)
        {
            var mapped = GraphErrorMapper.TryMap(ex, options, operation, permission, context.TimeProvider, cancellationToken);
            if (mapped is null)
            {
                throw;
            }

            throw mapped;
        }
    }

    public static async Task CallAsync(
        Func<Task> call, TeamsOptions options, string operation, string permission, StepContext context, CancellationToken cancellationToken)
        => await CallAsync(
            async () =>
            {
                await call().ConfigureAwait(false);
                return true;
            },
            options,
            operation,
            permission,
            context,
            cancellationToken).ConfigureAwait(false);

    public static IReadOnlyList<string> Roles(ConversationMember member) => member.Roles?.Where(r => r is not null).Cast<string>().ToArray() ?? [];
}
