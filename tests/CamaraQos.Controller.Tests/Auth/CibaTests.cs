using System.Net;
using System.Net.Http.Headers;
using CamaraQos.Controller.Camara;
using Xunit;
using static CamaraQos.Controller.Tests.Auth.AuthHost;

namespace CamaraQos.Controller.Tests.Auth;

public class CibaTests
{
    private const string CibaGrant = "urn:openid:params:grant-type:ciba";

    private static async Task<string> BackchannelAuthorize(AuthHost host, string id, string secret, string hint, string scope)
    {
        using var response = await host.PostForm("/oauth2/bc-authorize", Basic(id, secret), ("login_hint", hint), ("scope", scope));
        var body = await Json(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.True(body.GetProperty("interval").GetInt32() > 0);
        return body.GetProperty("auth_req_id").GetString()!;
    }

    private static Task<HttpResponseMessage> Poll(AuthHost host, string id, string secret, string authReqId) =>
        host.PostForm("/oauth2/token", Basic(id, secret), ("grant_type", CibaGrant), ("auth_req_id", authReqId));

    [Theory]
    [InlineData("tel:+34600000001")]
    [InlineData("ipport:198.51.100.1")]
    public async Task SandboxApprovesAtOnceAndTheTokenSubjectIsTheSubscriber(string hint)
    {
        await using var host = new AuthHost(sandbox: true);
        var authReqId = await BackchannelAuthorize(host, "sandbox-client", "sandbox-secret", hint, $"openid {Scopes.QodCreate}");

        using var response = await Poll(host, "sandbox-client", "sandbox-secret", authReqId);
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"openid {Scopes.QodCreate}", body.GetProperty("scope").GetString());
        var jwt = await Jwks.VerifyAsync(host, body.GetProperty("access_token").GetString()!, "camaraqos");
        Assert.Equal(InMemorySubscribers.Sub1.SubscriberId, jwt.Subject);
        Assert.Equal("sandbox-client", jwt.GetClaim("client_id").Value);
        Assert.Equal($"openid {Scopes.QodCreate}", jwt.GetClaim("scope").Value);
        var idToken = await Jwks.VerifyAsync(host, body.GetProperty("id_token").GetString()!, audience: "sandbox-client");
        Assert.Equal(InMemorySubscribers.Sub1.SubscriberId, idToken.Subject);

        // auth_req_id is single use (CIBA Core §11).
        using var again = await Poll(host, "sandbox-client", "sandbox-secret", authReqId);
        await AssertOAuthError(again, HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task SandboxSubscribersOfTheRealDirectoryAreResolvedFromTheirPhoneNumber()
    {
        await using var host = new AuthHost(sandbox: true, realDirectory: true);
        var authReqId = await BackchannelAuthorize(host, "sandbox-client", "sandbox-secret", "tel:+34600000001", "openid");

        using var response = await Poll(host, "sandbox-client", "sandbox-secret", authReqId);
        var jwt = await Jwks.VerifyAsync(host, (await Json(response)).GetProperty("access_token").GetString()!, "camaraqos");
        Assert.Equal("sandbox-subscriber-1", jwt.Subject);
    }

    [Fact]
    public async Task WithoutSandboxTheRequestIsPendingUntilAnAdminApprovesIt()
    {
        await using var host = new AuthHost(sandbox: false);
        var authReqId = await BackchannelAuthorize(host, AppClient, AppSecret, "tel:+34600000002", "openid");

        using (var pending = await Poll(host, AppClient, AppSecret, authReqId))
        {
            await AssertOAuthError(pending, HttpStatusCode.BadRequest, "authorization_pending");
        }
        var admin = await host.Token(AdminClient, AdminSecret);
        using (var listed = await host.Get("/oauth2/bc-authorize/pending", admin))
        {
            var item = Assert.Single((await Json(listed)).EnumerateArray());
            Assert.Equal(authReqId, item.GetProperty("auth_req_id").GetString());
            Assert.Equal(InMemorySubscribers.Sub2.SubscriberId, item.GetProperty("subscriber_id").GetString());
        }
        var app = await host.Token(AppClient, AppSecret);
        using (var forbidden = await Approve(host, authReqId, app))
        {
            await AssertErrorInfo(forbidden, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        }
        using (var approved = await Approve(host, authReqId, admin))
        {
            Assert.Equal(HttpStatusCode.NoContent, approved.StatusCode);
        }

        using var response = await Poll(host, AppClient, AppSecret, authReqId);
        var body = await Json(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jwt = await Jwks.VerifyAsync(host, body.GetProperty("access_token").GetString()!, "camaraqos");
        Assert.Equal(InMemorySubscribers.Sub2.SubscriberId, jwt.Subject);
        Assert.Equal(AppClient, jwt.GetClaim("client_id").Value);
        Assert.Equal("openid " + string.Join(' ', Scopes.Camara), jwt.GetClaim("scope").Value);
    }

    [Fact]
    public async Task ApprovingAnUnknownRequestIsNotFound()
    {
        await using var host = new AuthHost();
        var admin = await host.Token(AdminClient, AdminSecret);
        using var response = await Approve(host, "no-such-request", admin);

        await AssertErrorInfo(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task UnapprovedRequestExpiresAndPollingThenAnswersExpiredToken()
    {
        await using var host = new AuthHost();
        var authReqId = await BackchannelAuthorize(host, AppClient, AppSecret, "tel:+34600000001", "openid");
        host.Time.Advance(TimeSpan.FromSeconds(301));

        using var response = await Poll(host, AppClient, AppSecret, authReqId);
        await AssertOAuthError(response, HttpStatusCode.BadRequest, "expired_token");
        var admin = await host.Token(AdminClient, AdminSecret);
        using var late = await Approve(host, authReqId, admin);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    [Theory]
    [InlineData("tel:+34999999999")]
    [InlineData("ipport:203.0.113.9")]
    [InlineData("garbage")]
    public async Task UnknownLoginHintIsUnknownUserId(string hint)
    {
        await using var host = new AuthHost(sandbox: true);
        using var response = await host.PostForm("/oauth2/bc-authorize", Basic("sandbox-client", "sandbox-secret"), ("login_hint", hint), ("scope", "openid"));

        await AssertOAuthError(response, HttpStatusCode.BadRequest, "unknown_user_id");
    }

    [Fact]
    public async Task BackchannelRequestWithoutLoginHintOrWithUnknownScopeIsRejected()
    {
        await using var host = new AuthHost(sandbox: true);
        using var noHint = await host.PostForm("/oauth2/bc-authorize", Basic("sandbox-client", "sandbox-secret"), ("scope", "openid"));
        using var badScope = await host.PostForm("/oauth2/bc-authorize", Basic("sandbox-client", "sandbox-secret"),
            ("login_hint", "tel:+34600000001"), ("scope", "openid no-such:scope"));
        using var badClient = await host.PostForm("/oauth2/bc-authorize", Basic("sandbox-client", "nope"), ("login_hint", "tel:+34600000001"));

        await AssertOAuthError(noHint, HttpStatusCode.BadRequest, "invalid_request");
        await AssertOAuthError(badScope, HttpStatusCode.BadRequest, "invalid_scope");
        await AssertOAuthError(badClient, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task AnotherClientCannotRedeemTheAuthReqId()
    {
        await using var host = new AuthHost(sandbox: true);
        var authReqId = await BackchannelAuthorize(host, "sandbox-client", "sandbox-secret", "tel:+34600000001", "openid");

        using var stolen = await Poll(host, "sandbox-client-2", "sandbox-secret-2", authReqId);
        await AssertOAuthError(stolen, HttpStatusCode.BadRequest, "invalid_grant");
        using var owner = await Poll(host, "sandbox-client", "sandbox-secret", authReqId);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    private static Task<HttpResponseMessage> Approve(AuthHost host, string authReqId, string bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/oauth2/bc-authorize/{authReqId}/approve");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return host.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
