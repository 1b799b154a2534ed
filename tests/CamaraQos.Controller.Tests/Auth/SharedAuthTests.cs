using System.Net;
using CamaraQos.Controller.Auth;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;
using static CamaraQos.Controller.Tests.Auth.AuthHost;

namespace CamaraQos.Controller.Tests.Auth;

public sealed class SqliteSharedAuthTests() : SharedAuthTests(postgres: false);

/// <summary>Needs the private PostgreSQL tests/run.sh starts (CAMARAQOS_TEST_POSTGRES); skips without it, fails in CI.</summary>
public sealed class PostgresSharedAuthTests() : SharedAuthTests(postgres: true);

/// <summary>
/// Issue 11 item 6: two controllers (hosts) on one database are one authorization server: the signing key
/// ring and the CIBA requests live in the database.
/// </summary>
public abstract class SharedAuthTests(bool postgres) : IAsyncDisposable
{
    private const string CibaGrant = "urn:openid:params:grant-type:ciba";
    private readonly List<AuthHost> _hosts = [];
    private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"camaraqos-shared-auth-{Guid.NewGuid():N}.db");
    private TestPostgres? _database;

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        _database?.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
        {
            File.Delete(file);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>A controller on the test's one database (created on first use, so a missing PostgreSQL skips).</summary>
    private AuthHost Controller(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>());
        if (postgres)
        {
            _database ??= TestPostgres.Create();
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = _database.ConnectionString;
        }
        else
        {
            settings["Storage:ConnectionString"] = $"Data Source={_sqlitePath}";
        }
        var host = new AuthHost(settings: settings);
        lock (_hosts)
        {
            _hosts.Add(host);
        }
        return host;
    }

    private static async Task<IReadOnlyList<string>> KeyIdsAsync(AuthHost host)
    {
        var jwks = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(await host.Http.GetStringAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken));
        return [.. jwks.Keys.Select(k => k.Kid)];
    }

    [Fact]
    public async Task TwoControllersStartingTogetherOnAnEmptyDatabasePublishOneAndTheSameSigningKey()
    {
        if (postgres)
        {
            _database = TestPostgres.Create();
        }
        var hosts = await Task.WhenAll(Task.Run(() => Controller()), Task.Run(() => Controller()));

        var a = await KeyIdsAsync(hosts[0]);
        var b = await KeyIdsAsync(hosts[1]);

        Assert.Single(a);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task ATokenIssuedByOneControllerIsAcceptedByAnotherAndVerifiesAgainstItsJwks()
    {
        var a = Controller();
        var b = Controller();

        var token = await a.Token(AdminClient, AdminSecret);

        using var onB = await b.Get("/oauth2/bc-authorize/pending", token);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        await Jwks.VerifyAsync(b, token, "camaraqos");
        var fromB = await b.Token(AdminClient, AdminSecret);
        using var onA = await a.Get("/oauth2/bc-authorize/pending", fromB);
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
    }

    [Fact]
    public async Task ACibaRequestStartedOnOneControllerIsApprovedOnAnotherAndRedeemedOnceWhicheverPolls()
    {
        var a = Controller();
        var b = Controller();
        using var authorize = await a.PostForm("/oauth2/bc-authorize", Basic(AppClient, AppSecret), ("login_hint", "tel:+34600000001"), ("scope", "openid"));
        Assert.Equal(HttpStatusCode.OK, authorize.StatusCode);
        var authReqId = (await Json(authorize)).GetProperty("auth_req_id").GetString()!;

        using var pendingOnB = await b.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", CibaGrant), ("auth_req_id", authReqId));
        await AssertOAuthError(pendingOnB, HttpStatusCode.BadRequest, "authorization_pending");
        var admin = await b.Token(AdminClient, AdminSecret);
        using var listed = await b.Get("/oauth2/bc-authorize/pending", admin);
        Assert.Contains(authReqId, await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var approve = new HttpRequestMessage(HttpMethod.Post, $"/oauth2/bc-authorize/{authReqId}/approve");
        approve.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        using var approved = await b.Http.SendAsync(approve, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, approved.StatusCode);

        using var redeemed = await b.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", CibaGrant), ("auth_req_id", authReqId));
        var body = await Json(redeemed);
        Assert.True(redeemed.StatusCode == HttpStatusCode.OK, body.ToString());
        var jwt = await Jwks.VerifyAsync(a, body.GetProperty("access_token").GetString()!, "camaraqos");
        Assert.Equal(InMemorySubscribers.Sub1.SubscriberId, jwt.Subject);
        using var again = await a.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", CibaGrant), ("auth_req_id", authReqId));
        await AssertOAuthError(again, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task ARotatedKeyIsPublishedAtOnceSignsAfterTheActivationDelayAndThePreviousKeysTokensStayValid()
    {
        var rotation = new Dictionary<string, string?> { ["Auth:SigningKeyRotationDays"] = "1", ["Auth:SigningKeyRefreshSeconds"] = "60" };
        var a = Controller(rotation);
        var b = Controller(rotation);
        var ring = a.Services.GetRequiredService<SigningKeyRing>();
        var before = await a.Token(AdminClient, AdminSecret);
        var firstKid = new JsonWebToken(before).Kid;

        // Each host has its own fake clock; controllers share one time.
        a.Time.Advance(TimeSpan.FromDays(1));
        b.Time.Advance(TimeSpan.FromDays(1));
        await ring.RefreshAsync(TestContext.Current.CancellationToken);

        var published = await KeyIdsAsync(a);
        Assert.Equal(2, published.Count);
        // Not yet: B may not know the new key. This token, of the previous key, must outlive the rotation.
        before = await a.Token(AdminClient, AdminSecret);
        Assert.Equal(firstKid, new JsonWebToken(before).Kid);
        await b.Services.GetRequiredService<SigningKeyRing>().RefreshAsync(TestContext.Current.CancellationToken);
        Assert.Equal(published, await KeyIdsAsync(b));

        a.Time.Advance(ring.ActivationDelay);
        b.Time.Advance(ring.ActivationDelay);
        await ring.RefreshAsync(TestContext.Current.CancellationToken);
        var after = await a.Token(AdminClient, AdminSecret);

        var newKid = new JsonWebToken(after).Kid;
        Assert.NotEqual(firstKid, newKid);
        Assert.Contains(newKid, published);
        foreach (var token in new[] { before, after })
        {
            using var onB = await b.Get("/oauth2/bc-authorize/pending", token);
            Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        }
    }

    [Fact]
    public async Task AKeyFileOfAnEarlierReleaseIsImportedIntoTheRingSoItsTokensStayValid()
    {
        var path = Path.Combine(Path.GetTempPath(), $"camaraqos-key-{Guid.NewGuid():N}.pem");
        using (var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(path, ecdsa.ExportECPrivateKeyPem(), TestContext.Current.CancellationToken);
        }
        try
        {
            var a = Controller(new Dictionary<string, string?> { ["Auth:SigningKeyPath"] = path });
            var token = await a.Token(AdminClient, AdminSecret);
            File.Delete(path); // the ring holds it now

            var b = Controller(new Dictionary<string, string?> { ["Auth:SigningKeyPath"] = path });
            using var onB = await b.Get("/oauth2/bc-authorize/pending", token);

            Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
            Assert.Equal(await KeyIdsAsync(a), await KeyIdsAsync(b));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
