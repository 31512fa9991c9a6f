using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Onboarding.Internal;

/// <summary>Reads what a step's input is mapped from: the workflow input, with the org as the host has it now.</summary>
internal static class PartnerData
{
    public static async ValueTask<(PartnerOrg Org, PartnerUser User)> LoadAsync(StepContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        if (input.Org.Id is not { Length: > 0 } orgId || context.Services.GetService<IPartnerDirectory>() is not { } directory)
        {
            return (input.Org, input.User);
        }

        // Read at each attempt: an admin who fixed the org's links or group ids since the last attempt is heard on Retry.
        var org = await directory.FindOrgAsync(orgId, cancellationToken).ConfigureAwait(false)
            ?? throw StepException.Permanent($"The org '{orgId}' of this execution no longer exists.", StepErrorTypes.NotFound);
        return (org, input.User);
    }

    /// <summary>Tells whether the org, as the host has it now, meets <paramref name="has"/>: a skip rule that reads current data.</summary>
    public static async ValueTask<bool> OrgHasAsync(StepContext context, Func<PartnerOrg, bool> has, CancellationToken cancellationToken)
        => has((await LoadAsync(context, cancellationToken).ConfigureAwait(false)).Org);

    public static string Text(string? value) => string.IsNullOrWhiteSpace(value) ? string.Empty : value.Trim();

    /// <summary>Gets an earlier step's typed output, or <see langword="default"/> when it has none (it was skipped, say).</summary>
    public static T? OutputOrDefault<T>(StepContext context, string stepId)
        where T : class
    {
        if (!context.TryGetOutput(stepId, out var output) || output.TryGetProperty("skipped", out _))
        {
            return null;
        }

        return context.GetOutput<T>(stepId);
    }

    public static int RecordedMetabaseUserId(PartnerUser user)
    {
        if (user.Accounts.Metabase is not { } account)
        {
            return 0;
        }

        return int.TryParse(account.Id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw StepException.Permanent(
                $"The recorded Metabase account id (user.accounts.metabase.id) '{account.Id}' is not a Metabase user id (a positive whole number).",
                StepErrorTypes.InvalidInput);
    }
}
