using System.Collections.Concurrent;
using System.Net.Mail;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;
using HyOpps.Testing.Sandbox;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Benchmarks.Onboarding;

/// <summary>
/// new_partner_user of HyOpps.Onboarding (<c>AddPartnerOnboarding</c>) with the sample host's own steps around it, the sandbox
/// retry policies and the same integration wiring. The sample's host database (orgs, partner users) is replaced by
/// <see cref="PartnerRecords"/> in memory, which is also the <see cref="IPartnerDirectory"/>.
/// </summary>
internal static class OnboardingWorkflow
{
    public const string Name = PartnerOnboardingWorkflows.NewPartnerUser;
    public const string OrgLabel = "org";
    public const string EmailLabel = "email";
    public const string ValidatePartnerUser = "validate_partner_user";
    public const string CreatePartnerUser = "create_partner_user";
    public const string CreateMetabaseAccount = "create_metabase_account";
    public const string AddUserToMetabaseGroup = "add_user_to_metabase_group";
    public const string InviteToTeams = "invite_to_teams";
    public const string AddUserToTeamsChannel = "add_user_to_teams_channel";
    public const string AddUserToSlackGroup = "add_user_to_slack_group";
    public const string AddUserToAtlassianGroup = "add_user_to_atlassian_group";
    public const string ShareDocumentation = "share_documentation";
    public const string CompletePartnerUser = "complete_partner_user";

    // WorkflowTimings.Sandbox of the sample host.
    public static readonly RetryPolicy Default = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTotalDuration = TimeSpan.FromMinutes(1) };
    public static readonly RetryPolicy AccountWait = new() { MaxAttempts = 12, InitialDelay = TimeSpan.FromMilliseconds(50), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMilliseconds(500), MaxTotalDuration = TimeSpan.FromMinutes(2) };
    public static readonly RetryPolicy TeamsVisibility = new() { MaxAttempts = 20, InitialDelay = TimeSpan.FromMilliseconds(50), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMilliseconds(500), MaxTotalDuration = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// The steps in order with their classes and policies, for the direct baseline, which runs the step bodies without a runtime:
    /// each typed step gets the input the workflow maps for it (read from the workflow's own record of the step, see
    /// <see cref="DirectInputs"/>).
    /// </summary>
    public static readonly IReadOnlyList<(string Id, Type Step, RetryPolicy Retry)> Steps =
    [
        (ValidatePartnerUser, typeof(ValidatePartnerUserStep), Default),
        (CreatePartnerUser, typeof(CreatePartnerUserStep), Default),
        (CreateMetabaseAccount, typeof(CreateMetabaseAccountStep), Default),
        (AddUserToMetabaseGroup, typeof(AddUserToMetabaseGroupStep), Default),
        (InviteToTeams, typeof(InviteToTeamsStep), Default),
        (AddUserToTeamsChannel, typeof(AddUserToTeamsChannelStep), TeamsVisibility),
        (AddUserToSlackGroup, typeof(AddUserToSlackGroupStep), AccountWait),
        (AddUserToAtlassianGroup, typeof(AddUserToAtlassianGroupStep), AccountWait),
        (ShareDocumentation, typeof(ShareDocumentationStep), Default),
        (CompletePartnerUser, typeof(CompletePartnerUserStep), Default),
    ];

    /// <summary>Registers the integrations against the simulators and new_partner_user, like the sample host in sandbox mode.</summary>
    public static void Register(IServiceCollection services, IHyOppsBuilder hyopps, HyOppsSandbox sandbox, PartnerRecords records)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(sandbox.Settings).Build();
        services.Configure<HyOppsOptions>(o => o.PollInterval = TimeSpan.FromMilliseconds(200));
        services.AddSingleton(records);
        services.AddSingleton<IPartnerDirectory>(records);
        services.AddTransient<ValidatePartnerUserStep>();
        services.AddTransient<CreatePartnerUserStep>();
        services.AddTransient<CompletePartnerUserStep>();
        hyopps
            .AddMetabase(configuration.GetSection("HyOpps:Metabase"))
            .AddTeams(configuration.GetSection("HyOpps:Teams"))
            .AddSlack(configuration.GetSection("HyOpps:Slack"))
            .AddAtlassian(configuration.GetSection("HyOpps:Atlassian"))
            .AddEmail(configuration.GetSection("HyOpps:Email"))
            .AddPartnerOnboarding(o =>
            {
                o.DefaultRetryPolicy = Default;
                o.AccountWaitRetryPolicy = AccountWait;
                o.TeamsVisibilityRetryPolicy = TeamsVisibility;
                o.BeforeOnboarding = wf => wf
                    .Step<ValidatePartnerUserStep>(ValidatePartnerUser, s => s.WithRetry(Default))
                    .Step<CreatePartnerUserStep>(CreatePartnerUser, s => s.WithRetry(Default));
                o.AfterOnboarding = wf => wf.Step<CompletePartnerUserStep>(CompletePartnerUser, s => s.WithRetry(Default));
            });

        // The simulator's token endpoint is https with a self-signed certificate: trust it for token requests only.
        services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(sandbox.Graph.CreateHttpMessageHandler);
    }

    /// <summary>The sample's start options: idempotency key org:email and the org and email labels.</summary>
    public static StartExecutionOptions StartOptions(PartnerOnboardingInput input) => new()
    {
        IdempotencyKey = $"{input.Org.Id}:{input.User.NormalizedEmail}",
        Labels = new Dictionary<string, string> { [OrgLabel] = input.Org.Id!, [EmailLabel] = input.User.NormalizedEmail },
    };
}

/// <summary>The sample host's orgs and partner users (its SQLite tables OrgStore and PartnerUserStore), in memory.</summary>
internal sealed class PartnerRecords : IPartnerDirectory
{
    private readonly ConcurrentDictionary<string, PartnerOrg> _orgs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Org, string Email), Record> _users = new();

    public void AddOrg(PartnerOrg org) => _orgs[org.Id!] = org;

    public PartnerOrg? GetOrg(string id) => _orgs.GetValueOrDefault(id);

    public Record EnsureOnboarding(string orgId, string email, string firstName, string lastName, string executionId)
        => _users.GetOrAdd((orgId, email), _ => new Record { Id = Guid.NewGuid().ToString("N"), FirstName = firstName, LastName = lastName, ExecutionId = executionId });

    public Record? Get(string orgId, string email) => _users.GetValueOrDefault((orgId, email));

    public int CountActive() => _users.Values.Count(u => u.Status == "active");

    public ValueTask<PartnerOrg?> FindOrgAsync(string orgId, CancellationToken cancellationToken) => ValueTask.FromResult(GetOrg(orgId));

    public ValueTask RecordAccountsAsync(string orgId, string email, string executionId, RecordedAccounts accounts, CancellationToken cancellationToken)
    {
        if (Get(orgId, email) is { } user)
        {
            lock (user)
            {
                user.MetabaseUserId = accounts.Metabase is { } m ? int.Parse(m.Id, System.Globalization.CultureInfo.InvariantCulture) : user.MetabaseUserId;
                user.TeamsUserId = accounts.Teams?.Id ?? user.TeamsUserId;
                user.SlackUserId = accounts.Slack?.Id ?? user.SlackUserId;
                user.AtlassianAccountId = accounts.Atlassian?.Id ?? user.AtlassianAccountId;
            }
        }

        return ValueTask.CompletedTask;
    }

    internal sealed class Record
    {
        public required string Id { get; init; }
        public required string FirstName { get; init; }
        public required string LastName { get; init; }
        public required string ExecutionId { get; init; }
        public string Status { get; set; } = "onboarding";
        public int? MetabaseUserId { get; set; }
        public string? TeamsUserId { get; set; }
        public string? SlackUserId { get; set; }
        public string? AtlassianAccountId { get; set; }
    }
}

/// <summary>Step 1, as the sample's ValidatePartnerUserStep: email, names, org exists and is active, no other onboarding of the email under way.</summary>
internal sealed class ValidatePartnerUserStep(PartnerRecords records) : IWorkflowStep
{
    private static readonly ExecutionStatus[] UnderWay = [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.WaitingForApproval];

    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        var problems = new List<string>();
        if (CheckEmail(input.User.Email) is { } email)
        {
            problems.Add(email);
        }

        if (CheckName(input.User.FirstName, "first name") is { } first)
        {
            problems.Add(first);
        }

        if (CheckName(input.User.LastName, "last name") is { } last)
        {
            problems.Add(last);
        }

        if (string.IsNullOrWhiteSpace(input.Org.Id))
        {
            problems.Add("The input names no org id (org.id).");
        }

        if (problems.Count > 0)
        {
            throw StepException.Permanent("The partner user is not valid: " + string.Join(" ", problems), StepErrorTypes.InvalidInput);
        }

        var org = records.GetOrg(input.Org.Id!) ?? throw StepException.Permanent($"The org '{input.Org.Id}' does not exist.", StepErrorTypes.InvalidInput);
        if (!org.Active)
        {
            throw StepException.Permanent($"The org '{org.Name}' ({org.Id}) is not active.", StepErrorTypes.InvalidInput);
        }

        var normalized = input.User.NormalizedEmail;

        // The direct baseline has no store, hence no client: the check of other onboardings is a store read of the runtime.
        if (context is not DirectStepContext && context.Services.GetService<IWorkflowClient>() is { } workflows)
        {
            var others = await workflows.ListAsync(new ExecutionQuery
            {
                WorkflowName = OnboardingWorkflow.Name,
                Statuses = UnderWay,
                Labels = new Dictionary<string, string> { [OnboardingWorkflow.EmailLabel] = normalized },
                Limit = 10,
            }, cancellationToken);
            if (others.Items.FirstOrDefault(e => e.Id != context.ExecutionId) is { } other)
            {
                throw StepException.Permanent($"Another onboarding of {normalized} is under way (execution {other.Id}).", StepErrorTypes.InvalidInput);
            }
        }

        return StepResult.Succeeded(new { NormalizedEmail = normalized, input.User.DisplayName, OrgId = org.Id, OrgName = org.Name });
    }

    // InputRules.CheckEmail / CheckName of the sample host.
    private static string? CheckEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "The email is required.";
        }

        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        if (trimmed.Length > 254
            || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')' or '[' or ']' or '\\')
            || at <= 0
            || at != trimmed.IndexOf('@', StringComparison.Ordinal)
            || at == trimmed.Length - 1
            || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal)
            || !string.IsNullOrEmpty(parsed.DisplayName))
        {
            return $"'{trimmed}' is not a valid email address.";
        }

        var domain = trimmed[(at + 1)..];
        return !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)
            ? $"'{trimmed}' is not a valid email address: the domain is not a full domain name."
            : null;
    }

    private static string? CheckName(string? value, string what)
        => string.IsNullOrWhiteSpace(value) ? $"The {what} is required."
        : value.Trim().Length > 100 ? $"The {what} is longer than 100 characters."
        : value.Any(char.IsControl) ? $"The {what} contains control characters." : null;
}

/// <summary>Step 2, as the sample's CreatePartnerUserStep: the host's own record of the user.</summary>
internal sealed class CreatePartnerUserStep(PartnerRecords records) : IWorkflowStep
{
    public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        var user = records.EnsureOnboarding(input.Org.Id!, input.User.NormalizedEmail, input.User.FirstName.Trim(), input.User.LastName.Trim(), context.ExecutionId);
        return ValueTask.FromResult(StepResult.Succeeded(new { PartnerUserId = user.Id, user.Status }));
    }
}

/// <summary>The sample's CompletePartnerUserStep: once every integration is done, the user is active.</summary>
internal sealed class CompletePartnerUserStep(PartnerRecords records) : IWorkflowStep
{
    public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<PartnerOnboardingInput>();
        if (records.Get(input.Org.Id!, input.User.NormalizedEmail) is { } user)
        {
            lock (user)
            {
                user.Status = "active";
            }
        }

        return ValueTask.FromResult(StepResult.Succeeded(new { Activated = true }));
    }
}
