using HyOpps.Workflows.Storage;
using Xunit;

namespace HyOpps.Workflows.Testing;

/// <summary>The behaviour every <see cref="IResourceLockStore"/> must have, seen by two hosts on one store; a store's test class derives from this.</summary>
public abstract class ResourceLockStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private const string Resource = "slack:usergroup:S1";

    private IResourceLockStore? _a;
    private IResourceLockStore? _b;

    /// <summary>Gets the store of the first host.</summary>
    protected IResourceLockStore A => _a ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Gets the store of the second host, on the same data.</summary>
    protected IResourceLockStore B => _b ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Gets the running test's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates two initialized stores on the same data, as two hosts would open them.</summary>
    protected abstract Task<(IResourceLockStore A, IResourceLockStore B)> CreateStoresAsync();

    /// <summary>Disposes the two stores and deletes their data.</summary>
    protected abstract ValueTask DisposeStoresAsync(IResourceLockStore a, IResourceLockStore b);

    /// <inheritdoc />
    public async ValueTask InitializeAsync() => (_a, _b) = await CreateStoresAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_a is not null && _b is not null)
        {
            await DisposeStoresAsync(_a, _b);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A live lease keeps the resource from another host; other resources stay free.</summary>
    [Fact]
    public async Task Acquire_WhileAnotherHostHoldsALiveLease_IsRefused_OtherResourcesAreFree()
    {
        var held = await A.TryAcquireResourceAsync(Resource, "A", T0, Lease, Ct);

        Assert.NotNull(held);
        Assert.Equal(("A", T0 + Lease), (held.Owner, held.ExpiresAt));
        Assert.Null(await B.TryAcquireResourceAsync(Resource, "B", T0.AddSeconds(29), Lease, Ct));
        Assert.NotNull(await B.TryAcquireResourceAsync("slack:usergroup:S2", "B", T0, Lease, Ct));
    }

    /// <summary>An expired lease passes to another host with a larger fencing token; the old holder can no longer act.</summary>
    [Fact]
    public async Task Acquire_AfterTheLeaseExpired_TakesItWithALargerToken_AndTheOldHolderCanNeitherRenewNorRelease()
    {
        var first = (await A.TryAcquireResourceAsync(Resource, "A", T0, Lease, Ct))!;
        var second = await B.TryAcquireResourceAsync(Resource, "B", T0 + Lease, Lease, Ct);

        Assert.NotNull(second);
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.False(await A.RenewResourceAsync(first, T0.AddMinutes(5), Ct));
        await A.ReleaseResourceAsync(first, Ct);
        Assert.Null(await A.TryAcquireResourceAsync(Resource, "A", T0 + Lease + TimeSpan.FromSeconds(1), Lease, Ct));
    }

    /// <summary>Renewing keeps the lease; releasing frees it for a larger token.</summary>
    [Fact]
    public async Task Renew_KeepsTheLease_ReleaseFreesIt_ForALargerToken()
    {
        var first = (await A.TryAcquireResourceAsync(Resource, "A", T0, Lease, Ct))!;
        Assert.True(await A.RenewResourceAsync(first, T0.AddMinutes(5), Ct));
        Assert.Null(await B.TryAcquireResourceAsync(Resource, "B", T0.AddMinutes(4), Lease, Ct));

        await A.ReleaseResourceAsync(first, Ct);
        var second = await B.TryAcquireResourceAsync(Resource, "B", T0.AddMinutes(4), Lease, Ct);

        Assert.NotNull(second);
        Assert.True(second.FencingToken > first.FencingToken);
        Assert.False(await A.RenewResourceAsync(first, T0.AddMinutes(6), Ct));
    }
}
