// Added by .ci/consumer-test beside the root README's "Use" snippet (Program.cs, unchanged): before Program runs, starts
// the HyOpps.Testing simulators on 127.0.0.1, creates the org's group and user group in them, and hands their addresses,
// keys and ids to the app the way a user would, through environment variables read by the host's configuration.
// At exit it checks in the simulators that the person really was onboarded, and prints "consumer-check: ok".
using System.Runtime.CompilerServices;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Slack;
using HyOpps.Testing.Smtp;

internal static class Simulators
{
    private const string Email = "ada@partner.example";

    private static readonly MetabaseSimulator Metabase = new();
    private static readonly SlackSimulator Slack = new();
    private static readonly SmtpSimulator Smtp = new();

    [ModuleInitializer]
    internal static void Start()
    {
        Task.WhenAll(Metabase.StartAsync(), Slack.StartAsync(), Smtp.StartAsync()).GetAwaiter().GetResult();
        var metabaseGroup = Metabase.CreateGroup("Partner");
        var slackGroup = Slack.CreateUserGroup("partners", Slack.AddUser("lead@partner.example"));
        Slack.AddUser(Email, "Ada Lovelace");

        Set("HyOpps__Metabase__BaseUrl", Metabase.BaseAddress.ToString());
        Set("HyOpps__Metabase__ApiKey", Metabase.ApiKey);
        Set("HyOpps__Slack__BotToken", Slack.BotToken);
        Set("HyOpps__Slack__BaseUrl", Slack.ApiBaseAddress.ToString());
        Set("HyOpps__Email__Host", Smtp.Host);
        Set("HyOpps__Email__Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("HyOpps__Email__Security", "None");
        Set("HyOpps__Email__From", "HyOpps <noreply@hyopps.test>");
        Set("Logging__LogLevel__Default", "Warning");
        Set("Org__Name", "Partner");
        Set("Org__MetabaseGroupId", metabaseGroup.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("Org__SlackUserGroupId", slackGroup);
        Set("Org__DocumentationLinks__0__Title", "Partner handbook");
        Set("Org__DocumentationLinks__0__Url", "https://docs.partner.example/handbook");

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Check(metabaseGroup, slackGroup);
    }

    private static void Set(string name, string value) => Environment.SetEnvironmentVariable(name, value);

    private static void Check(int metabaseGroup, string slackGroup)
    {
        var problems = new List<string>();
        var user = Metabase.FindUserByEmail(Email);
        if (user is null || !Metabase.GetGroupIdsOfUser(user.Id).Contains(metabaseGroup))
        {
            problems.Add($"Metabase: {Email} is not in group {metabaseGroup}");
        }

        if (Slack.FindUserId(Email) is not { } slackUser || !Slack.GetUserGroupMembers(slackGroup).Contains(slackUser))
        {
            problems.Add($"Slack: {Email} is not in user group {slackGroup}");
        }

        if (!Smtp.Messages.Any(m => m.EnvelopeRecipients.Contains(Email, StringComparer.OrdinalIgnoreCase)
            && m.HtmlBody?.Contains("https://docs.partner.example/handbook", StringComparison.Ordinal) == true))
        {
            problems.Add($"Email: no documentation email reached {Email}");
        }

        Console.WriteLine(problems.Count == 0 ? "consumer-check: ok" : "consumer-check: FAILED " + string.Join("; ", problems));
    }
}
