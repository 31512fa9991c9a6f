using System.Net;
using static HyOpps.Dashboard.Tests.DashboardTestApp;

namespace HyOpps.Dashboard.Tests;

public sealed class ExecutionDetailTests
{
    [Fact]
    public async Task Detail_SucceededExecution_ShowsStepsAttemptsOutputsInputAndAudit()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(OnboardingFlow, new TestInput("Ada@Example.com", Note: "first user"));

        var (status, html) = await GetAsync(app.CreateClient(), ExecutionPath(id));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-execution-id=\"{id}\" data-status=\"Succeeded\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"execution-status\">Succeeded</span>", html, StringComparison.Ordinal);
        var step = Step(html, "add_user_to_metabase_group");
        Assert.Contains("data-step-status=\"Succeeded\"", step, StringComparison.Ordinal);
        Assert.Contains("<span class=\"hd-step-number\">2.</span> Add user to Metabase group <code class=\"hd-muted\">add_user_to_metabase_group</code>", step, StringComparison.Ordinal);
        Assert.Contains("<details class=\"hd-data\" data-testid=\"step-output\"><summary>Output data</summary>", step, StringComparison.Ordinal);
        Assert.Contains("&quot;metabase_group_id&quot;: 7", step, StringComparison.Ordinal);
        Assert.Contains("&quot;note&quot;: &quot;first user&quot;", step, StringComparison.Ordinal);
        Assert.Contains("<tr data-run=\"1\" data-attempt=\"1\" data-outcome=\"Succeeded\">", step, StringComparison.Ordinal);
        Assert.Contains("&quot;email&quot;: &quot;ada@example.com&quot;", Step(html, "validate_partner_user"), StringComparison.Ordinal);
        Assert.Contains("<details class=\"hd-data\" data-testid=\"input-data\"><summary>Input data</summary>", html, StringComparison.Ordinal);
        Assert.Contains("&quot;email&quot;: &quot;Ada@Example.com&quot;", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-action=\"start\" data-actor=\"test\">", html, StringComparison.Ordinal);
        Assert.Contains("<dt>org</dt><dd data-label=\"org\">42</dd>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"waiting-on\"", html, StringComparison.Ordinal);
        var share = Step(html, "share_documentation");
        Assert.Contains("<th>Input</th><th>Output</th>", share, StringComparison.Ordinal);
        Assert.Contains("<details data-testid=\"attempt-input\"><summary>Input</summary><pre><code>", share, StringComparison.Ordinal);
        Assert.Contains("&quot;recipient&quot;: &quot;ada@example.com&quot;", share, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"attempt-input\"", step, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_StepOutputWithScriptTag_IsEncoded()
    {
        await using var app = await DashboardTestApp.StartAsync();
        const string attack = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&";
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Note: attack));

        var (_, detail) = await GetAsync(app.CreateClient(), ExecutionPath(id));
        var (_, list) = await GetAsync(app.CreateClient(), Prefix);

        Assert.DoesNotContain("<script", detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\\&quot;&#x27;&amp;", Step(detail, "add_user_to_metabase_group"), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", list, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Detail_AttackerTextInLabelsAndErrors_IsEncoded()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("xss", "Group <script>alert(1)</script> missing");
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "xss"), org: "\"><script>alert(2)</script>");

        var (_, detail) = await GetAsync(app.CreateClient(), ExecutionPath(id));
        var (_, list) = await GetAsync(app.CreateClient(), Prefix);

        foreach (var html in new[] { detail, list })
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Detail_FailingStep_ShowsItsErrorAttemptsAndRetryButton()
    {
        await using var app = await DashboardTestApp.StartAsync();
        app.Faults.Set("metabase", "Metabase group 7 does not exist.");
        var id = await app.RunAsync(OnboardingFlow, new TestInput("a@example.com", Fault: "metabase"));

        var (_, html) = await GetAsync(app.CreateClient(), ExecutionPath(id));

        Assert.Contains("data-testid=\"execution-error\"", html, StringComparison.Ordinal);
        var step = Step(html, "add_user_to_metabase_group");
        Assert.Contains("data-step-status=\"Failed\"", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"step-error\"><strong>Error (permanent):</strong> Step &#x27;add_user_to_metabase_group&#x27; failed: Metabase group 7 does not exist.</p>", step, StringComparison.Ordinal);
        Assert.Contains("data-outcome=\"Failed\"", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"retry-button\"", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"rerun-link\"", step, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"rerun-link\"", Step(html, "share_documentation"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"cancel-button\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ManualStep_ShowsPromptWaitingSentenceAndApproveRejectButtons()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.RunAsync(ApprovalFlow, new TestInput("a@example.com"));

        var (_, html) = await GetAsync(app.CreateClient(), ExecutionPath(id));

        Assert.Contains("data-testid=\"waiting-on\">Waiting for a person to approve step &#x27;approve_access&#x27;", html, StringComparison.Ordinal);
        var step = Step(html, "approve_access");
        Assert.Contains("data-step-status=\"WaitingForApproval\"", step, StringComparison.Ordinal);
        Assert.Contains("Grant &lt;b&gt;admin&lt;/b&gt; access to the partner?", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"approve-button\"", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reject-button\"", step, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"cancel-button\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"retry-button\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_RunningExecution_ShowsWaitingOnAndCancelAndRefreshes()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.StartAsync(SlowFlow, new TestInput("a@example.com"), "42");
        await app.RunningAsync(id);

        var (_, html) = await GetAsync(app.CreateClient(), ExecutionPath(id));

        Assert.Contains("data-testid=\"waiting-on\">Running step &#x27;wait&#x27;", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"cancel-button\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"rerun-link\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"auto-refresh\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_RunningAttempt_ShowsTheInputItWasGiven_RecordedWhenTheAttemptStarted()
    {
        await using var app = await DashboardTestApp.StartAsync();
        var id = await app.StartAsync(SlowFlow, new TestInput("grace@example.com"), "42");
        await app.RunningAsync(id);

        var (_, html) = await GetAsync(app.CreateClient(), ExecutionPath(id));

        // Committed with the attempt's start, so an attempt that a crash cuts short shows it too.
        var step = Step(html, "wait");
        Assert.Contains("data-outcome=\"Running\"", step, StringComparison.Ordinal);
        Assert.Contains("<details data-testid=\"attempt-input\"><summary>Input</summary>", step, StringComparison.Ordinal);
        Assert.Contains("grace@example.com", step, StringComparison.Ordinal);
        Assert.Contains("https://docs.example/wait", step, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_UnknownExecution_Answers404()
    {
        await using var app = await DashboardTestApp.StartAsync();

        var (status, html) = await GetAsync(app.CreateClient(), ExecutionPath("0123456789abcdef"));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Execution not found", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_SendSecurityHeadersAndServeTheStylesheet()
    {
        await using var app = await DashboardTestApp.StartAsync(o => o.StylesheetUrl = "https://cdn.example.com/brand.css");
        var client = app.CreateClient();

        using var page = await client.GetAsync(new Uri(Prefix, UriKind.Relative), TestContext.Current.CancellationToken);
        using var css = await client.GetAsync(new Uri(Prefix + "/dashboard.css", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self' https://cdn.example.com", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(',', page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("<link rel=\"stylesheet\" href=\"/hyopps/dashboard.css\">", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"stylesheet\" href=\"https://cdn.example.com/brand.css\">", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }
}
