using System.Net;
using CamaraQos.Controller.Camara;
using Xunit;
using static CamaraQos.Controller.Tests.Auth.AuthHost;

namespace CamaraQos.Controller.Tests.Auth;

public class ClientCredentialsTests
{
    [Fact]
    public async Task ClientCredentialsGrantIssuesATokenSignedByTheJwksKeyWithTheClientAsSubject()
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", "client_credentials"));
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal(string.Join(' ', Scopes.Camara), body.GetProperty("scope").GetString());
        var jwt = await Jwks.VerifyAsync(host, body.GetProperty("access_token").GetString()!, audience: "camaraqos");
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(AppClient, jwt.Subject);
        Assert.Equal(AppClient, jwt.GetClaim("client_id").Value);
        Assert.Equal(string.Join(' ', Scopes.Camara), jwt.GetClaim("scope").Value);
        Assert.Equal(host.Time.GetUtcNow().UtcDateTime, jwt.IssuedAt, TimeSpan.FromSeconds(1));
        Assert.Equal(jwt.IssuedAt.AddSeconds(3600), jwt.ValidTo);
        Assert.False(string.IsNullOrEmpty(jwt.Id));
    }

    [Fact]
    public async Task ClientSecretInFormFieldsAuthenticatesAndAudienceAndLifetimeFollowConfiguration()
    {
        await using var host = new AuthHost(settings: new Dictionary<string, string?>
        {
            ["Auth:Audience"] = "https://api.example",
            ["Auth:TokenLifetimeSeconds"] = "120",
        });
        using var response = await host.PostForm("/oauth2/token", null,
            ("grant_type", "client_credentials"), ("client_id", ReaderClient), ("client_secret", ReaderSecret));
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(120, body.GetProperty("expires_in").GetInt32());
        var jwt = await Jwks.VerifyAsync(host, body.GetProperty("access_token").GetString()!, audience: "https://api.example");
        Assert.Equal(jwt.IssuedAt.AddSeconds(120), jwt.ValidTo);
        Assert.Equal(ReaderClient, jwt.Subject);
    }

    [Theory]
    [InlineData(AppClient, "wrong")]
    [InlineData("nobody", AppSecret)]
    [InlineData(AppClient, "")]
    public async Task WrongClientCredentialsAreInvalidClient(string id, string secret)
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", Basic(id, secret), ("grant_type", "client_credentials"));

        await AssertOAuthError(response, HttpStatusCode.Unauthorized, "invalid_client");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task NoClientAuthenticationIsInvalidClient()
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", null, ("grant_type", "client_credentials"), ("client_id", AppClient));

        await AssertOAuthError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task UsingBasicAndFormClientAuthenticationTogetherIsInvalidRequest()
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", Basic(AppClient, AppSecret),
            ("grant_type", "client_credentials"), ("client_id", AppClient), ("client_secret", AppSecret));

        await AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task RequestedScopesAreNarrowedToThoseTheClientIsAllowed()
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", Basic(ReaderClient, ReaderSecret),
            ("grant_type", "client_credentials"), ("scope", $"{Scopes.QosProfilesRead} {Scopes.QodCreate}"));
        var body = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Scopes.QosProfilesRead, body.GetProperty("scope").GetString());
        var jwt = await Jwks.VerifyAsync(host, body.GetProperty("access_token").GetString()!, "camaraqos");
        Assert.Equal(Scopes.QosProfilesRead, jwt.GetClaim("scope").Value);
    }

    [Theory]
    [InlineData("no-such:scope")]
    [InlineData("qos-profiles:read no-such:scope")]
    [InlineData(Scopes.Admin)]
    public async Task UnknownOrWhollyDisallowedScopeIsInvalidScope(string scope)
    {
        await using var host = new AuthHost();
        using var response = await host.PostForm("/oauth2/token", Basic(ReaderClient, ReaderSecret),
            ("grant_type", "client_credentials"), ("scope", scope));

        await AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_scope");
    }

    [Fact]
    public async Task UnsupportedGrantTypeAndMissingGrantTypeAreOAuthErrors()
    {
        await using var host = new AuthHost();
        using var password = await host.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", "password"));
        using var missing = await host.PostForm("/oauth2/token", Basic(AppClient, AppSecret));

        await AssertOAuthError(password, HttpStatusCode.BadRequest, "unsupported_grant_type");
        await AssertOAuthError(missing, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task NonFormBodyIsInvalidRequestNotAServerError()
    {
        await using var host = new AuthHost();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new StringContent("{\"grant_type\":\"client_credentials\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = Basic(AppClient, AppSecret);
        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_request");
    }
}
