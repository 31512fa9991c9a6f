using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Workflows;
using Microsoft.Extensions.Logging.Testing;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

public sealed partial class SecurityTests
{
    [Fact]
    public async Task Onboarding_SecretsNeverInLogsInputsOrOutputs()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var created = await admin.PostAsJsonAsync("/api/account/api-keys", new { name = "ci" }, Ct);
        var issuedKey = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
        using var script = host.WithKey(issuedKey);
        var started = await host.AddUserAsync(script, org.Id, "ada@partner.example");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var removal = await script.DeleteAsync($"/api/users/{started.User.Id}", Ct);
        var removalId = (await removal.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("execution_id").GetString()!;
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(removalId)).Status);

        var texts = new List<string>
        {
            await script.GetStringAsync($"/api/executions/{started.ExecutionId}", Ct),
            await script.GetStringAsync($"/api/executions/{removalId}", Ct),
            await script.GetStringAsync("/api/users", Ct),
            await script.GetStringAsync("/api/account/api-keys", Ct),
        };
        var logs = host.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        texts.AddRange(logs.Select(Describe));
        var secrets = host.Sandbox.Secrets.Concat([issuedKey, SandboxAccounts.AdminApiKey, SandboxAccounts.AdminPassword, SandboxAccounts.PartnerAdminPassword]).ToList();
        Assert.NotEmpty(host.Sandbox.Graph.IssuedAccessTokens);
        foreach (var secret in secrets)
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ApiKey_StoredOnlyAsAHash()
    {
        await using var host = await StartAsync();
        var db = host.Services.GetService(typeof(HyOpps.SampleHost.Data.SampleDatabase)) as HyOpps.SampleHost.Data.SampleDatabase;
        await using var connection = await db!.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_hash FROM api_keys UNION ALL SELECT password_hash FROM accounts";
        var stored = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct))
            {
                stored.Add(reader.GetString(0));
            }
        }

        Assert.Equal(4, stored.Count);
        foreach (var secret in new[] { SandboxAccounts.AdminApiKey, SandboxAccounts.PartnerAdminApiKey, SandboxAccounts.AdminPassword, SandboxAccounts.PartnerAdminPassword })
        {
            Assert.All(stored, s => Assert.DoesNotContain(secret, s, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task CookieSignIn_WithAntiforgeryToken_SignsInAndReadsTheApi()
    {
        await using var host = await StartAsync();
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();

        var cookies = new CookieJar();
        var form = await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(form).Groups["value"].Value;
        Assert.False(string.IsNullOrEmpty(token));

        var wrong = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = SandboxAccounts.PartnerAdminUserName, ["Password"] = "wrong",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var noToken = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["UserName"] = SandboxAccounts.PartnerAdminUserName, ["Password"] = SandboxAccounts.PartnerAdminPassword,
        });
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.False(cookies.Has("hyopps.auth"));

        var signedIn = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = SandboxAccounts.PartnerAdminUserName, ["Password"] = SandboxAccounts.PartnerAdminPassword,
            ["ReturnUrl"] = "https://evil.example/",
        });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        Assert.True(cookies.Has("hyopps.auth"));

        var me = await Send(client, cookies, HttpMethod.Get, "/api/me", null);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = await me.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("partner_admin", body.GetProperty("role").GetString());
        Assert.Equal((await host.DemoOrgAsync()).Id, body.GetProperty("org_id").GetString());

        // A header cannot change who the cookie says the caller is.
        var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/orgs");
        spoofed.Headers.Add("X-Role", "admin");
        spoofed.Headers.Add("X-Org-Id", "someone-else");
        var orgs = await Send(client, cookies, spoofed);
        Assert.Single((await orgs.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray());

        // A browser page without a session is sent to the sign-in form; an API call gets 401.
        var page = await client.GetAsync("/hyopps", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task ApiKey_UnknownOrMalformed_Answers401()
    {
        await using var host = await StartAsync();
        foreach (var key in new[] { "hyo_not_a_key", string.Empty, new string('k', 500) })
        {
            using var client = host.WithKey(key);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/orgs", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Dashboard_PartnerAdmin_SeesOnlyTheirOrgsExecutions()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var orgA = await host.DemoOrgAsync();
        var orgB = await host.CreateOrgAsync("Org B");
        var a = await host.AddUserAsync(admin, orgA.Id, "alice@org-a.example");
        var b = await host.AddUserAsync(admin, orgB.Id, "bob@org-b.example");
        await host.WaitAsync(a.ExecutionId);
        await host.WaitAsync(b.ExecutionId);
        using var partner = host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        partner.DefaultRequestHeaders.Accept.Clear();
        admin.DefaultRequestHeaders.Accept.Clear();

        var list = await partner.GetStringAsync("/hyopps/", Ct);
        Assert.Contains(a.ExecutionId, list, StringComparison.Ordinal);
        Assert.DoesNotContain(b.ExecutionId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync($"/hyopps/executions/{a.ExecutionId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/hyopps/executions/{b.ExecutionId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/hyopps/executions/{b.ExecutionId}/rerun?step=share_documentation", Ct)).StatusCode);
        Assert.DoesNotContain(b.ExecutionId, await partner.GetStringAsync($"/hyopps/?label=org={orgB.Id}", Ct), StringComparison.Ordinal);
        Assert.Contains(b.ExecutionId, await admin.GetStringAsync("/hyopps/", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetabaseDebug_OutsideDevelopment_Answers404()
    {
        await using var host = await StartAsync("Production");
        using var admin = host.Admin();
        using var anonymous = host.Anonymous();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/metabase/debug/user/1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/metabase/debug/user/1", Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_DescribesTheApi()
    {
        await using var host = await StartAsync();
        using var anonymous = host.Anonymous();

        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/orgs", "/api/users", "/api/users/{id}", "/api/executions", "/api/executions/{id}/rerun" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    private static string Describe(FakeLogRecord record)
        => $"{record.Message} {record.Exception} " + string.Join(" ", record.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? []);

    private static Task<HttpResponseMessage> Send(HttpClient client, CookieJar cookies, HttpMethod method, string path, Dictionary<string, string>? form)
    {
        var request = new HttpRequestMessage(method, path);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return Send(client, cookies, request);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, CookieJar cookies, HttpRequestMessage request)
    {
        cookies.Apply(request);
        var response = await client.SendAsync(request, Ct);
        cookies.Take(response);
        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The test server's client keeps no cookies: this does, for the sign-in flow.</summary>
    private sealed class CookieJar
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public bool Has(string name) => _cookies.ContainsKey(name);

        public void Take(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                return;
            }

            foreach (var value in values)
            {
                var pair = value.Split(';', 2)[0].Split('=', 2);
                if (value.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(pair[0]);
                }
                else
                {
                    _cookies[pair[0]] = pair[1];
                }
            }
        }

        public void Apply(HttpRequestMessage request)
        {
            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            }
        }
    }
}
