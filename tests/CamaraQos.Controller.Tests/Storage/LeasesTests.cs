using CamaraQos.Controller.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Storage;

public sealed class SqliteLeasesTests() : LeasesTests(StorageProvider.Sqlite);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresLeasesTests() : LeasesTests(StorageProvider.Postgres);

/// <summary>The <c>leases</c> table that elects one controller for a once-only job (the sandbox fleet on a shared broker).</summary>
public abstract class LeasesTests(StorageProvider provider) : IDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(15);
    private readonly StorageUnderTest _storage = StorageUnderTest.Create(provider);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Leases> LeasesAsync()
    {
        var database = _storage.NewDatabase();
        await database.MigrateAsync(Ct);
        return new Leases(database, _time);
    }

    [Fact]
    public async Task OneHolderAtATimeWhoKeepsItByRenewingAndAnotherTakesItOverOnceItExpires()
    {
        var leases = await LeasesAsync();

        Assert.True(await leases.TryHoldAsync("job", "a", Duration, Ct));
        Assert.False(await leases.TryHoldAsync("job", "b", Duration, Ct));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(await leases.TryHoldAsync("job", "a", Duration, Ct));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(await leases.TryHoldAsync("job", "b", Duration, Ct));

        // "a" stopped renewing (it died): once its last renewal expired, "b" takes over and "a" has lost it.
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(await leases.TryHoldAsync("job", "b", Duration, Ct));
        Assert.False(await leases.TryHoldAsync("job", "a", Duration, Ct));
    }

    [Fact]
    public async Task AReleasedLeaseIsFreeAtOnceAndOnlyItsHolderCanReleaseIt()
    {
        var leases = await LeasesAsync();
        Assert.True(await leases.TryHoldAsync("job", "a", Duration, Ct));

        await leases.ReleaseAsync("job", "b", Ct);
        Assert.False(await leases.TryHoldAsync("job", "b", Duration, Ct));
        await leases.ReleaseAsync("job", "a", Ct);
        Assert.True(await leases.TryHoldAsync("job", "b", Duration, Ct));
    }

    [Fact]
    public async Task TenControllersAskingAtOnceElectExactlyOne()
    {
        var leases = await LeasesAsync();

        var held = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => leases.TryHoldAsync("job", $"c{i}", Duration, Ct), Ct)));

        Assert.Single(held, h => h);
    }

    public void Dispose()
    {
        _storage.Dispose();
        GC.SuppressFinalize(this);
    }
}
