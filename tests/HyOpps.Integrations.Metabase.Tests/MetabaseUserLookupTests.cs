using Microsoft.Extensions.DependencyInjection;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseUserLookupTests
{
    [Fact]
    public async Task GetUser_Member_ReturnsTheGroupsWithNames()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme analysts");
        var userId = host.Simulator.AddUser("jane@partner.example", "Jane", "Doe");
        host.Simulator.AddUserToGroup(userId, groupId);
        var lookup = host.Services.GetRequiredService<IMetabaseUserLookup>();

        var user = await lookup.GetUserAsync(userId, Ct);

        Assert.NotNull(user);
        Assert.Equal((userId, "jane@partner.example", "Jane", "Doe", true, false), (user.Id, user.Email, user.FirstName, user.LastName, user.IsActive, user.IsSuperuser));
        Assert.Equal([new MetabaseUserGroup(1, "All Users", null), new MetabaseUserGroup(groupId, "Acme analysts", null)], user.Groups);
    }

    [Fact]
    public async Task GetUser_Unknown_ReturnsNull()
    {
        await using var host = await StartAsync();

        Assert.Null(await host.Services.GetRequiredService<IMetabaseUserLookup>().GetUserAsync(4711, Ct));
    }

    [Fact]
    public async Task FindUserByEmail_Deactivated_ReturnsItInactive()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane@partner.example", isActive: false);
        var lookup = host.Services.GetRequiredService<IMetabaseUserLookup>();

        var user = await lookup.FindUserByEmailAsync("JANE@partner.example", Ct);
        var missing = await lookup.FindUserByEmailAsync("nobody@partner.example", Ct);

        Assert.Equal(userId, user?.Id);
        Assert.False(user!.IsActive);
        Assert.Null(missing);
        await Assert.ThrowsAsync<ArgumentException>(() => lookup.FindUserByEmailAsync(" ", Ct));
    }

    [Fact]
    public async Task GetUser_NotConfigured_ThrowsNamingTheSettings()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        await using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => provider.GetRequiredService<IMetabaseUserLookup>().GetUserAsync(1, Ct));

        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetUser_BadKey_ThrowsTheApiError()
    {
        await using var host = await StartAsync((o, _) => o.ApiKey = "wrong-key");

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.Services.GetRequiredService<IMetabaseUserLookup>().GetUserAsync(1, Ct));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("Unauthenticated", ex.ServiceMessage);
    }
}
