using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Onboarding;
using HyOpps.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase;

/// <summary>Deactivates the partner user's Metabase account, for offboarding.</summary>
/// <remarks>
/// <para>
/// It finds the user by email itself (offboarding may run in another workflow than onboarding), deactivates an active one
/// (<c>DELETE /api/user/:id</c>) and reads it back to confirm. A user that is already deactivated or does not exist is a
/// success. It runs whatever the org's Metabase group id is, since the org's settings may have changed since onboarding.
/// </para>
/// <para>Output: <see cref="DeactivateMetabaseAccountOutput"/>.</para>
/// </remarks>
[WorkflowStep(Id)]
public sealed partial class DeactivateMetabaseAccountStep : IWorkflowStep
{
    /// <summary>The step id, <c>deactivate_metabase_account</c>.</summary>
    public const string Id = "deactivate_metabase_account";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptionsMonitor<MetabaseOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="DeactivateMetabaseAccountStep"/> class.</summary>
    /// <param name="httpClientFactory">Creates the Metabase HttpClient.</param>
    /// <param name="options">The Metabase settings.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public DeactivateMetabaseAccountStep(IHttpClientFactory httpClientFactory, IOptionsMonitor<MetabaseOptions> options)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var settings = MetabaseStepSupport.RequireConfigured(_options);
        var email = MetabaseStepSupport.RequireEmail(input);
        var client = MetabaseStepSupport.CreateClient(_httpClientFactory, settings, context);

        var user = await MetabaseStepSupport.CallAsync(settings, $"looking up the Metabase user {email}", () => client.FindUserByEmailAsync(email, cancellationToken))
            .ConfigureAwait(false);
        if (user is null)
        {
            return Done(null, DeactivateMetabaseAccountOutput.NotFound);
        }

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
