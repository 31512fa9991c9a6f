using System.Net;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>What the Metabase steps share: the settings check, input checks, the privileged-account rule and the mapping of failures to <see cref="StepException"/>.</summary>
internal static class MetabaseStepSupport
{
    /// <summary>The error type of a change that Metabase accepted but the read-back does not show.</summary>
    public const string NotVerified = "not_verified";

    /// <summary>The error type of a step refused because the account is privileged.</summary>
    public const string PrivilegedAccount = StepErrorTypes.PermissionDenied;

    /// <summary>Gets the settings, or throws the permanent failure of missing or invalid settings.</summary>
    public static MetabaseOptions RequireConfigured(IOptionsMonitor<MetabaseOptions> options)
    {
        MetabaseOptions settings;
        try
        {
            settings = options.CurrentValue;
        }
        catch (OptionsValidationException ex)
        {
            throw StepException.Permanent($"The Metabase settings are invalid: {ex.Message}", StepErrorTypes.NotConfigured, ex);
        }
        catch (InvalidOperationException ex)
        {
            throw StepException.Permanent($"The Metabase settings cannot be read: {ex.Message}", StepErrorTypes.NotConfigured, ex);
        }

        if (!settings.IsConfigured)
        {
            throw StepException.NotConfigured(settings.NotConfiguredMessage);
        }

        return settings;
    }

    public static string RequireEmail(string? email)
    {
        var normalized = email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(normalized))
        {
            throw StepException.Permanent("The step's input has no email; Metabase users are matched by email.", StepErrorTypes.InvalidInput);
        }

        return normalized;
    }

    /// <summary>Fails permanently when the user is a Metabase administrator: HyOpps never adds, removes or deactivates one.</summary>
    public static async Task EnsureNotPrivilegedAsync(MetabaseClient client, MetabaseOptions settings, MetabaseUserDto user, CancellationToken cancellationToken)
    {
        var privileged = user.IsSuperuser;
        if (!privileged && user.AllGroupIds.Count > 0)
        {
            var groups = await CallAsync(settings, "listing the Metabase groups", () => client.ListGroupsAsync(cancellationToken)).ConfigureAwait(false);
            privileged = groups.Any(g => g.IsAdministrators && user.AllGroupIds.Contains(g.Id));
        }

        if (privileged)
        {
            throw StepException.Permanent(
                $"The Metabase user {user.Id} is an administrator (a superuser, or in the Administrators group); HyOpps never manages privileged accounts, "
                + "so nothing was added, removed or deactivated. Manage this account by hand in Metabase.",
                PrivilegedAccount);
        }
    }

    /// <summary>Runs a Metabase call and turns its failure into a <see cref="StepException"/> a person can act on.</summary>
    public static async Task<T> CallAsync<T>(MetabaseOptions settings, string doing, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (MetabaseApiException ex)
        {
            throw ToStepException(ex, settings, doing);
        }
    }

    public static StepException ToStepException(MetabaseApiException ex, MetabaseOptions settings, string doing)
    {
        // The service's own message often ends a sentence already; the advice appended below starts a new one.
        var what = $"Failed {doing}: {ex.Message.TrimEnd().TrimEnd('.')}.";
        var p = settings.SectionPath;
        return ex.StatusCode switch
        {
            null => StepException.Transient(
                what, ex.InnerException is OperationCanceledException or Polly.Timeout.TimeoutRejectedException ? StepErrorTypes.Timeout : StepErrorTypes.Transient, innerException: ex),
            HttpStatusCode.Unauthorized => StepException.Permanent(
                settings.UsesApiKey
                    ? $"{what} Metabase rejected the API key: check {p}:ApiKey (the key may be mistyped, revoked or from another Metabase site at {p}:BaseUrl)."
                    : $"{what} Metabase rejected the login: check {p}:Username and {p}:Password (a Metabase administrator's email and password).",
                StepErrorTypes.Unauthorized,
                ex),
            HttpStatusCode.Forbidden => StepException.Permanent(
                settings.UsesApiKey
                    ? $"{what} The API key in {p}:ApiKey must belong to the Administrators group to manage users and groups."
                    : $"{what} The user in {p}:Username must be a Metabase administrator to manage users and groups.",
                StepErrorTypes.PermissionDenied,
                ex),
            HttpStatusCode.TooManyRequests => StepException.Transient(what, StepErrorTypes.RateLimited, ex.RetryAfter, ex),
            HttpStatusCode.RequestTimeout => StepException.Transient(what, StepErrorTypes.Timeout, ex.RetryAfter, ex),
            HttpStatusCode.NotFound => StepException.Permanent(what, StepErrorTypes.NotFound, ex),
            >= HttpStatusCode.InternalServerError => StepException.Transient(what, StepErrorTypes.Transient, ex.RetryAfter, ex),
            _ => StepException.Permanent(what, StepErrorTypes.Permanent, ex),
        };
    }
}
