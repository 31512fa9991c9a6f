using System.Net;
using HyOpps.Testing.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Testing.Graph;

/// <summary>
/// An in-process Microsoft Graph v1.0 and Entra ID token endpoint on 127.0.0.1: client-credentials tokens, guest invitations,
/// users, team and private channel members, channel messages (posted with delegated refresh-token grants), with the new-guest eventual-consistency delay, permission (403) and throttling (429) faults.
/// </summary>
/// <remarks>
/// <para>
/// Graph is served over http at <see cref="GraphBaseUrl"/> and rejects calls without a bearer token it issued
/// (401 <c>InvalidAuthenticationToken</c>). Tokens come from <c>POST {AuthorityHost}{tenant}/oauth2/v2.0/token</c>, served over https
/// with a self-signed certificate because Entra ID clients (MSAL) require an https authority: trust it with
/// <see cref="CreateHttpMessageHandler"/>. Only the credentials <see cref="TenantId"/>, <see cref="ClientId"/> and
/// <see cref="ClientSecret"/> get a token; a wrong secret gets Entra's 401 <c>invalid_client</c>.
/// </para>
/// <para>Errors use Graph's envelope <c>{"error": {"code", "message", "innerError"}}</c>; see <see cref="ErrorBody"/> for faults.</para>
/// </remarks>
public sealed partial class GraphSimulator : HttpSimulator
{
    /// <summary>The application permissions granted at start: <c>User.Invite.All</c>, <c>User.Read.All</c>, <c>TeamMember.ReadWrite.All</c>, <c>ChannelMember.ReadWrite.All</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultPermissions =
        ["User.Invite.All", "User.Read.All", "TeamMember.ReadWrite.All", "ChannelMember.ReadWrite.All"];

    private readonly TimeProvider _time;
    private readonly HashSet<string> _permissions = new(DefaultPermissions, StringComparer.OrdinalIgnoreCase);
    private WebApplication? _app;

    /// <summary>Initializes a new instance of the <see cref="GraphSimulator"/> class on the system clock.</summary>
    public GraphSimulator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GraphSimulator"/> class.</summary>
    /// <param name="timeProvider">The clock for token lifetimes and timestamps.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public GraphSimulator(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
    }

    /// <summary>Gets the tenant id tokens are issued for. The default value is a new GUID.</summary>
    public string TenantId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>Gets the tenant's initial domain, accepted in place of <see cref="TenantId"/>. The default value is <c>hyoppssim.onmicrosoft.com</c>.</summary>
    public string TenantDomain { get; init; } = "hyoppssim.onmicrosoft.com";

    /// <summary>Gets the application (client) id that may request tokens. The default value is a new GUID.</summary>
    public string ClientId { get; init; } = Guid.NewGuid().ToString();

    /// <summary>Gets the client secret that <see cref="ClientId"/> must present. The default value is random.</summary>
    public string ClientSecret { get; init; } = "sim~" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    /// <summary>Gets or sets the lifetime of issued tokens. The default value is 3599 seconds, like Entra ID.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromSeconds(3599);

    /// <summary>Gets or sets how many attempts to add a newly invited guest to a team or channel fail before the guest becomes visible. The default value is 0.</summary>
    public int NewGuestInvisibleAttempts { get; set; }

    /// <summary>Gets or sets the status those failed attempts answer: 404 (<c>NotFound</c>) or 400 (<c>BadRequest</c> "not a valid reference"). The default value is 404.</summary>
    public int InvisibleStatusCode { get; set; } = 404;

    /// <summary>Gets or sets how many members one page of a member list holds before an <c>@odata.nextLink</c>. The default value is 100.</summary>
    public int MembersPageSize { get; set; } = 100;

    /// <summary>Gets the Graph base URL, for example <c>http://127.0.0.1:41234/v1.0</c>; set once started.</summary>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    public Uri GraphBaseUrl => new(ServerAddress(Uri.UriSchemeHttp), "v1.0");

    /// <summary>Gets the https authority host of the token endpoint, for example <c>https://127.0.0.1:41235/</c>; set once started.</summary>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    public Uri AuthorityHost => ServerAddress(Uri.UriSchemeHttps);

    /// <summary>Gets the application permissions currently granted to <see cref="ClientId"/>.</summary>
    public IReadOnlyCollection<string> GrantedPermissions
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _permissions];
            }
        }
    }

    /// <summary>Grants an application permission, for example <c>TeamMember.ReadWrite.All</c>.</summary>
    /// <param name="permission">The permission.</param>
    public void GrantPermission(string permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permission);
        lock (SyncRoot)
        {
            _permissions.Add(permission);
        }
    }

    /// <summary>Revokes an application permission, so that calls needing it answer 403.</summary>
    /// <param name="permission">The permission, for example <c>User.Invite.All</c>.</param>
    public void RevokePermission(string permission)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(permission);
        lock (SyncRoot)
        {
            _permissions.Remove(permission);
        }
    }

    /// <inheritdoc />
    protected override SimulatedFault CreateErrorFault(int statusCode)
        => SimulatedFault.Status(statusCode, ErrorBody(statusCode >= 500 ? "serviceNotAvailable" : "badRequest", $"Simulated error {statusCode}."), "application/json");

    /// <inheritdoc />
    protected override SimulatedFault CreateRateLimitFault(TimeSpan retryAfter)
        => SimulatedFault.TooManyRequests(retryAfter, ErrorBody("TooManyRequests", "Too many requests."), "application/json");

    /// <summary>Gets the settings that point the HyOpps Teams integration at this simulator, keyed by configuration path.</summary>
    /// <param name="sectionPath">The configuration section. The default value is <c>HyOpps:Teams</c>.</param>
    /// <returns>TenantId, ClientId, ClientSecret, GraphBaseUrl and AuthorityHost under <paramref name="sectionPath"/>.</returns>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    public IReadOnlyDictionary<string, string?> CreateConfiguration(string sectionPath = "HyOpps:Teams")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);
        return new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [$"{sectionPath}:TenantId"] = TenantId,
            [$"{sectionPath}:ClientId"] = ClientId,
            [$"{sectionPath}:ClientSecret"] = ClientSecret,
            [$"{sectionPath}:GraphBaseUrl"] = GraphBaseUrl.ToString(),
            [$"{sectionPath}:AuthorityHost"] = AuthorityHost.ToString(),
        };
    }

    /// <inheritdoc />
    protected override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var certificate = CreateCertificate();
        _certificateThumbprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

        // A second, https listener on the same server for the token endpoint: the base class configures only http.
        var kestrel = app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        app.Lifetime.ApplicationStopped.Register(certificate.Dispose);
        _app = app;

        app.Use(AuthenticateGraphAsync);
        MapIdentity(app);
        MapDirectory(app);
        MapTeams(app);
        MapMessages(app);
    }

    private Uri ServerAddress(string scheme)
    {
        var app = _app ?? throw new InvalidOperationException("Start the simulator first (StartAsync).");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("Start the simulator first (StartAsync).");
        return new Uri(address.EndsWith('/') ? address : address + "/");
    }
}
