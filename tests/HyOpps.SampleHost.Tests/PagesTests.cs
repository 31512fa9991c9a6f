using System.Net;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;
using static HyOpps.SampleHost.Tests.SecurityTests;

namespace HyOpps.SampleHost.Tests;

public sealed class PagesTests
{
    [Fact]
    public async Task OrgPage_PartnerAdmin_AddsAUserThroughTheFormAndSeesTheMetabaseBadge()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);

        var page = await (await Send(client, cookies, HttpMethod.Get, $"/orgs/{org.Id}", null)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Partner handbook", page, StringComparison.Ordinal);
        Assert.Contains("https://docs.example.com/partners/handbook", page, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(page).Groups["value"].Value;

        var bad = await Send(client, cookies, HttpMethod.Post, $"/orgs/{org.Id}/users", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "not an email", ["FirstName"] = "<b>Ada</b>", ["LastName"] = "L",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badPage = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("email", badPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Ada</b>", badPage, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Ada&lt;/b&gt;", badPage, StringComparison.Ordinal);

        var added = await Send(client, cookies, HttpMethod.Post, $"/orgs/{org.Id}/users", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Email"] = "ada@partner.example", ["FirstName"] = "Ada", ["LastName"] = "Lovelace",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var user = Assert.Single(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(org.Id, null, Ct));
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(user.OnboardingExecutionId!)).Status);

        var users = await (await Send(client, cookies, HttpMethod.Get, "/users", null)).Content.ReadAsStringAsync(Ct);
        var metabaseUserId = (await host.GetUserAsync(user.Id)).MetabaseUserId;
        Assert.Contains($"Metabase #{metabaseUserId}", users, StringComparison.Ordinal);
        Assert.Contains(PartnerUserStatus.Active, users, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_ValuesFromData_AreHtmlEncoded()
    {
        await using var host = await StartAsync();
        await host.CreateOrgAsync("<script>alert(1)</script>");
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);

        var page = await (await Send(client, cookies, HttpMethod.Get, "/orgs", null)).Content.ReadAsStringAsync(Ct);

        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
    }

    internal static async Task<(HttpClient Client, CookieJar Cookies)> SignInAsync(SampleTestHost host, string userName, string password)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        var cookies = new CookieJar();
        var form = await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(form).Groups["value"].Value;
        var signedIn = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = userName, ["Password"] = password,
        });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return (client, cookies);
    }
}
