using System.Net;
using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Onboarding;
using HyOpps.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Atlassian;

/// <summary>Removes the person's Atlassian account from the org's group, for offboarding; an account that is not a member (or does not exist) counts as done.</summary>
/// <remarks>
/// The account id comes from the <c>add_user_to_atlassian_group</c> output of the same execution when there is one, otherwise from a
/// search by email. Skipped when the org has no Atlassian group id.
/// </remarks>
[WorkflowStep(StepId)]
public sealed partial class RemoveUserFromAtlassianGroupStep : IWorkflowStep
{
    /// <summary>The step id, <c>remove_user_from_atlassian_group</c>.</summary>
    public const string StepId = "remove_user_from_atlassian_group";

    private readonly AtlassianClient _client;
    private readonly IOptionsMonitor<AtlassianOptions> _options;
    private readonly ILogger<RemoveUserFromAtlassianGroupStep> _logger;

    /// <summary>Initializes a new instance of the <see cref="RemoveUserFromAtlassianGroupStep"/> class.</summary>
    /// <param name="client">The Atlassian client.</param>
    /// <param name="options">The Atlassian settings.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RemoveUserFromAtlassianGroupStep(AtlassianClient client, IOptionsMonitor<AtlassianOptions> options, ILogger<RemoveUserFromAtlassianGroupStep> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var groupId = input.Org.AtlassianGroupId?.Trim();
        if (string.IsNullOrEmpty(groupId))
        {
            return StepResult.Skipped($"Org '{input.Org.Name}' has no Atlassian group id.");
        }

        var options = AtlassianStepErrors.CurrentOptions(_options);
        if (!options.IsConfigured)
        {
            throw StepException.NotConfigured(options.NotConfiguredMessage);
        }

        var email = input.User.NormalizedEmail;
        try
        {
            var accountId = await FindAccountIdAsync(context, email, groupId, cancellationToken).ConfigureAwait(false);
            if (accountId is null)
            {
                LogNoAccount(_logger, email);
                return StepResult.Succeeded(new RemoveUserFromAtlassianGroupOutput { AtlassianGroupId = groupId });
            }

            bool isMember;
            try
            {
                isMember = await _client.IsGroupMemberAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
            }
            catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw AtlassianStepErrors.GroupNotFound(groupId, options, ex);
            }

            var removed = false;
            if (isMember)
            {
                try
                {
                    removed = await _client.RemoveUserFromGroupAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
                }
                catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    // The group was listed a moment ago: the account is gone, so it is no member either.
                    removed = false;
                }

                if (await _client.IsGroupMemberAsync(groupId, accountId, cancellationToken).ConfigureAwait(false))
                {
                    throw StepException.Transient(
                        $"Atlassian still lists account {accountId} ({email}) in group '{groupId}' after removing it; checking again.",
                        StepErrorTypes.Transient,
                        options.InvitePollInterval);
                }
            }

            LogRemoved(_logger, accountId, groupId, removed);
            return StepResult.Succeeded(new RemoveUserFromAtlassianGroupOutput { AtlassianAccountId = accountId, AtlassianGroupId = groupId, Removed = removed });
        }
        catch (AtlassianApiException ex)
        {
            throw AtlassianStepErrors.ToStepException(ex, options);
        }
    }

    private async Task<string?> FindAccountIdAsync(StepContext context, string email, string groupId, CancellationToken cancellationToken)
    {
        if (context.TryGetOutput(AddUserToAtlassianGroupStep.StepId, out var output)
            && output.ValueKind == System.Text.Json.JsonValueKind.Object
            && output.TryGetProperty("atlassian_account_id", out var id)
            && id.ValueKind == System.Text.Json.JsonValueKind.String
            && !string.IsNullOrEmpty(id.GetString()))
        {
            return id.GetString();
        }

        var lookup = await _client.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (lookup.User is { } user)
        {
            return user.AccountId;
        }

        if (lookup.HiddenEmailCandidates.Count > 0)
        {
            throw AtlassianStepErrors.HiddenEmail(email, groupId, lookup.HiddenEmailCandidates.Count);
        }

        return null;
    }

    [LoggerMessage(1, LogLevel.Information, "No Atlassian account has email {Email}; nothing to remove")]
    private static partial void LogNoAccount(ILogger logger, string email);

    [LoggerMessage(2, LogLevel.Information, "Atlassian account {AccountId} is not a member of group {GroupId} (removed now: {Removed})")]
    private static partial void LogRemoved(ILogger logger, string accountId, string groupId, bool removed);
}
