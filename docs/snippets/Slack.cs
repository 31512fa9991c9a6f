#region usage
#region testing
using HyOpps;
#endregion
#endregion
#region testing
using HyOpps.Testing.Slack;
#endregion
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Slack/README.md.</summary>
internal static class SlackSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddHyOpps()
            .AddSlack();                                   // binds "HyOpps:Slack" (and SLACK_BOT_TOKEN)
        // or .AddSlack(o => o.BotToken = "xoxb-...")
        // or .AddSlack(builder.Configuration.GetSection("Integrations:Slack"))
        #endregion
    }

    public static async Task TestingAsync(IServiceCollection services)
    {
        #region testing
        await using var slack = new SlackSimulator();
        await slack.StartAsync();
        var group = slack.CreateUserGroup("partners", slack.AddUser("lead@acme.test"));
        slack.AddUser("ada@partner.test");
        services.AddHyOpps().AddSlack(o => { o.BotToken = slack.BotToken; o.BaseUrl = slack.ApiBaseAddress; });
        // ... run add_user_to_slack_group, then slack.GetUserGroupMembers(group)
        #endregion
        _ = group;
    }
}
