using System.Security.Cryptography;
using CamaraQos.Controller.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// The embedded server's ES256 keys (RFC 7518 §3.4), in the database (<c>signing_keys</c>) so every controller
/// sharing it signs with the same key and accepts every other's tokens. Generation 1 is made by whichever
/// controller starts first (or imported from <c>Auth:SigningKeyPath</c>, the file earlier releases kept);
/// after <c>Auth:SigningKeyRotationDays</c> a controller adds the next generation. A new key is published
/// (JWKS, validation) at once but signs only after <see cref="ActivationDelay"/>, by which time every
/// controller has re-read the ring; the previous keys stay for validation until two newer ones exist,
/// at least one rotation period (≥ one day ≥ <c>Auth:TokenLifetimeSeconds</c>) after they stopped signing.
/// </summary>
public sealed partial class SigningKeyRing(Database database, IOptions<AuthOptions> options, TimeProvider time, ILogger<SigningKeyRing> logger)
    : IHostedService, IDisposable
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>Generations kept: the next (not yet signing), the current and the previous.</summary>
    private const int Kept = 3;

    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;
    private Ring? _ring;
    private Task? _loop;

    // Read when used: a bad Auth section fails the start through its validator, not in this constructor.
    private AuthOptions Auth => options.Value;

    private TimeSpan RefreshInterval => TimeSpan.FromSeconds(Auth.SigningKeyRefreshSeconds);

    /// <summary>Two refreshes: every controller has loaded a new key before any signs with it.</summary>
    public TimeSpan ActivationDelay => 2 * RefreshInterval;

    public SigningCredentials Credentials => Current.Signing.Credentials;

    /// <summary>Every key in the ring: a token signed by any of them is valid.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys => Current.ValidationKeys;

    /// <summary>The public halves (RFC 7517), newest first, for <c>/.well-known/jwks.json</c>.</summary>
    public IReadOnlyList<JwkDocument> PublicJwks => [.. Current.Keys.Select(k => k.Jwk)];

    /// <summary>The kid new tokens carry.</summary>
    public string SigningKeyId => Current.Signing.Key.KeyId;

    private Ring Current => _ring ?? throw new InvalidOperationException("The signing key ring is read at start; the host has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Auth.IsEmbedded)
        {
            return; // tokens come from Auth:Authority
        }
        await EnsureFirstKeyAsync(cancellationToken);
        await RefreshAsync(cancellationToken);
        _loop = RefreshLoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return; // the container went first (a host that failed to start)
        }
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Adds the next generation when the newest is older than the rotation period, drops the oldest, re-reads the ring.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var rows = (await db.QueryAsync<KeyRow>(new CommandDefinition(
            "SELECT generation, kid, private_pem, created_at FROM signing_keys ORDER BY generation DESC", cancellationToken: ct))).ToList();
        var now = time.GetUtcNow();
        if (Auth.SigningKeyRotationDays > 0 && rows.Count > 0
            && now - DateTimeOffset.FromUnixTimeMilliseconds(rows[0].CreatedAt) >= TimeSpan.FromDays(Auth.SigningKeyRotationDays))
        {
            // Two controllers rotating together: the primary key keeps one row for the generation.
            using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var inserted = await InsertAsync(db, rows[0].Generation + 1, next, ct);
            await db.ExecuteAsync(new CommandDefinition("DELETE FROM signing_keys WHERE generation <= @oldest",
                new { oldest = rows[0].Generation + 1 - Kept }, cancellationToken: ct));
            rows = (await db.QueryAsync<KeyRow>(new CommandDefinition(
                "SELECT generation, kid, private_pem, created_at FROM signing_keys ORDER BY generation DESC", cancellationToken: ct))).ToList();
            if (inserted)
            {
                LogRotated(logger, rows[0].Generation, rows[0].Kid);
            }
        }
        var previous = _ring;
        var keys = rows.Take(Kept).Select(r => previous?.Keys.FirstOrDefault(k => k.Generation == r.Generation) ?? RingKey.From(r)).ToList();
        // The newest key old enough that every controller knows it; generation 1 signs at once (there is no other).
        var signing = keys.FirstOrDefault(k => k.Generation == 1 || now - k.CreatedAt >= ActivationDelay) ?? keys[^1];
        _ring = new Ring(keys, signing, [.. keys.Select(k => (SecurityKey)k.Key)]);
    }

    private async Task RefreshLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RefreshInterval, time, ct);
                await RefreshAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                // The ring in memory stays valid; the next round tries again.
                LogRefreshFailed(logger, e);
            }
        }
    }

    /// <summary>Generation 1: the key file of an earlier release when there is one (its tokens stay valid), else a new key.</summary>
    private async Task EnsureFirstKeyAsync(CancellationToken ct)
    {
        using var fromFile = ReadKeyFile(Auth.SigningKeyPath);
        await using var db = await database.OpenAsync(ct);
        if (await db.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM signing_keys", cancellationToken: ct)) > 0)
        {
            if (fromFile is not null)
            {
                LogFileIgnored(logger, Auth.SigningKeyPath!);
            }
            return;
        }
        using var ecdsa = fromFile is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        if (await InsertAsync(db, 1, fromFile ?? ecdsa!, ct) && fromFile is not null)
        {
            LogImported(logger, Auth.SigningKeyPath!);
        }
    }

    private async Task<bool> InsertAsync(System.Data.Common.DbConnection db, long generation, ECDsa ecdsa, CancellationToken ct) =>
        await db.ExecuteAsync(new CommandDefinition(
            "INSERT INTO signing_keys (generation, kid, private_pem, created_at) VALUES (@generation, @kid, @pem, @createdAt) ON CONFLICT (generation) DO NOTHING",
            new { generation, kid = RingKey.KeyIdOf(ecdsa), pem = ecdsa.ExportECPrivateKeyPem(), createdAt = time.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct)) == 1;

    private static ECDsa? ReadKeyFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
            return ecdsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new InvalidOperationException($"Auth:SigningKeyPath '{path}' does not hold a PEM EC P-256 private key.", e);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stopping.Cancel();
        _stopping.Dispose();
        // The keys' ECDsa objects are not disposed: Microsoft.IdentityModel caches signature providers by
        // kid process-wide, so another host in this process (tests, a restart in place) may still sign with them.
    }

    private sealed record Ring(IReadOnlyList<RingKey> Keys, RingKey Signing, IReadOnlyList<SecurityKey> ValidationKeys);

    private sealed record RingKey(long Generation, DateTimeOffset CreatedAt, ECDsa Ecdsa, ECDsaSecurityKey Key, SigningCredentials Credentials, JwkDocument Jwk)
    {
        public static RingKey From(KeyRow row)
        {
            var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            ecdsa.ImportFromPem(row.PrivatePem);
            var key = new ECDsaSecurityKey(ecdsa) { KeyId = row.Kid };
            var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key);
            return new RingKey(row.Generation, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), ecdsa, key,
                new SigningCredentials(key, Algorithm), new JwkDocument("EC", "sig", Algorithm, row.Kid, jwk.Crv, jwk.X, jwk.Y));
        }

        /// <summary>RFC 7638 thumbprint: a stable kid for the same key material.</summary>
        public static string KeyIdOf(ECDsa ecdsa) =>
            Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ecdsa)).ComputeJwkThumbprint());
    }

    private sealed class KeyRow
    {
        public long Generation { get; set; }
        public string Kid { get; set; } = "";
        public string PrivatePem { get; set; } = "";
        public long CreatedAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the signing key of Auth:SigningKeyPath '{Path}' into the database's key ring (generation 1); the file is no longer read")]
    private static partial void LogImported(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auth:SigningKeyPath '{Path}' is not read: the database holds the signing key ring")]
    private static partial void LogFileIgnored(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing key rotated: generation {Generation} ({Kid}) published, signs after the activation delay")]
    private static partial void LogRotated(ILogger logger, long generation, string kid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not re-read the signing key ring; keeping the keys in memory")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
