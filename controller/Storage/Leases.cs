using Dapper;

namespace CamaraQos.Controller.Storage;

/// <summary>
/// Named leases in the shared database (the <c>leases</c> table): at most one holder at a time, taken over
/// by another once the holder stops renewing (a crash), handed back at once by a clean stop. One upsert
/// both takes a free or expired lease and renews one's own, so two controllers asking together cannot both win.
/// </summary>
public sealed class Leases(Database database, TimeProvider time)
{
    /// <summary>Takes or renews <paramref name="name"/> for <paramref name="duration"/>; true when <paramref name="holder"/> holds it.</summary>
    public async Task<bool> TryHoldAsync(string name, string holder, TimeSpan duration, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at < @now
            """, new { name, holder, expiresAt = now + (long)duration.TotalMilliseconds, now }, cancellationToken: ct));
        var current = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT holder FROM leases WHERE name = @name", new { name }, cancellationToken: ct));
        return current == holder;
    }

    /// <summary>Hands the lease back (a clean stop), so another controller need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: ct));
    }
}
