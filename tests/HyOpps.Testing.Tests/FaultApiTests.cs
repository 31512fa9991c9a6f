using System.Diagnostics;
using System.Net;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.Testing.Slack;

namespace HyOpps.Testing.Tests;

/// <summary>The one fault API of every HTTP simulator: the same calls inject an error, a rate limit, latency or a hang on an endpoint.</summary>
public sealed class FaultApiTests
{
    public static TheoryData<string> Simulators => ["metabase", "graph", "slack", "atlassian"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task InjectError_AnswersTheStatusTheGivenNumberOfTimesThenAsUsual(string name)
    {
        await using var simulator = await StartAsync(name);
        var (endpoint, path) = Endpoint(name);
        simulator.InjectError(endpoint, 503, times: 2);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(path, Ct)).StatusCode);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await http.GetAsync(path, Ct)).StatusCode);
        Assert.Equal(0, simulator.Faults.Pending);
    }

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task InjectError_OnlyForItsMethodAndEndpoint(string name)
    {
        await using var simulator = await StartAsync(name);
        var (endpoint, path) = Endpoint(name);
        simulator.InjectError(endpoint, 500, method: "POST");
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        Assert.NotEqual(HttpStatusCode.InternalServerError, (await http.GetAsync(path, Ct)).StatusCode);
        Assert.NotEqual(HttpStatusCode.InternalServerError, (await http.GetAsync("/elsewhere", Ct)).StatusCode);
        Assert.Equal(1, simulator.Faults.Pending);
    }

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task InjectRateLimit_Answers429WithRetryAfterInWholeSeconds(string name)
    {
        await using var simulator = await StartAsync(name);
        var (endpoint, path) = Endpoint(name);
        simulator.InjectRateLimit(endpoint, TimeSpan.FromMilliseconds(2500));
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };

        using var answer = await http.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), answer.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task InjectRateLimit_SpeaksEachServicesFormat()
    {
        await using var slack = (SlackSimulator)await StartAsync("slack");
        await using var atlassian = (AtlassianSimulator)await StartAsync("atlassian");
        slack.InjectRateLimit("users.lookupByEmail", TimeSpan.FromSeconds(1));
        atlassian.InjectRateLimit("/rest/api/3/user/search", TimeSpan.FromSeconds(1));
        using var http = new HttpClient();

        using var slackAnswer = await http.GetAsync(new Uri(slack.ApiBaseAddress, "users.lookupByEmail"), Ct);
        using var atlassianAnswer = await http.GetAsync(new Uri(atlassian.SiteUrl, "rest/api/3/user/search?query=x"), Ct);

        // Reference 2.1 and 4.5: Slack's body is {"ok":false,"error":"ratelimited"}; Jira adds the X-RateLimit-* headers.
        Assert.Contains("\"error\":\"ratelimited\"", await slackAnswer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("0", Assert.Single(atlassianAnswer.Headers.GetValues("X-RateLimit-Remaining")));
        Assert.Equal("jira-burst-based", Assert.Single(atlassianAnswer.Headers.GetValues("RateLimit-Reason")));
    }

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task InjectLatency_DelaysThenAnswersAsUsual(string name)
    {
        await using var simulator = await StartAsync(name);
        var (endpoint, path) = Endpoint(name);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        var usual = (await http.GetAsync(path, Ct)).StatusCode;
        simulator.InjectLatency(endpoint, TimeSpan.FromMilliseconds(300));

        var watch = Stopwatch.StartNew();
        var delayed = (await http.GetAsync(path, Ct)).StatusCode;

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {watch.Elapsed}");
        Assert.Equal(usual, delayed);
    }

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task InjectHang_NeverAnswersUntilTheClientGivesUp(string name)
    {
        await using var simulator = await StartAsync(name);
        var (endpoint, path) = Endpoint(name);
        simulator.InjectHang(endpoint);
        using var http = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = TimeSpan.FromMilliseconds(300) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync(path, Ct));
    }

    [Theory]
    [MemberData(nameof(Simulators))]
    public async Task Inject_BadArguments_Throw(string name)
    {
        await using var simulator = await StartAsync(name);

        Assert.Throws<ArgumentException>(() => simulator.InjectError(" ", 500));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.InjectError("/x", 500, times: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.InjectRateLimit("/x", TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.InjectLatency("/x", TimeSpan.FromSeconds(-1)));
        Assert.Equal(0, simulator.Faults.Pending);
    }

    private static (string Endpoint, string Path) Endpoint(string name) => name switch
    {
        "metabase" => ("/api/user", "/api/user"),
        "graph" => ("/v1.0/users", "/v1.0/users"),
        "slack" => ("users.lookupByEmail", "/api/users.lookupByEmail"),
        _ => ("/rest/api/3/user/search", "/rest/api/3/user/search?query=x"),
    };

    private static async Task<HttpSimulator> StartAsync(string name)
    {
        HttpSimulator simulator = name switch
        {
            "metabase" => new MetabaseSimulator(),
            "graph" => new GraphSimulator(),
            "slack" => new SlackSimulator(),
            _ => new AtlassianSimulator(),
        };
        await simulator.StartAsync(Ct);
        return simulator;
    }
}
