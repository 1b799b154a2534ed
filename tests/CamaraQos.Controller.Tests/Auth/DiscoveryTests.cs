using System.Net;
using CamaraQos.Controller.Camara;
using Xunit;
using static CamaraQos.Controller.Tests.Auth.AuthHost;

namespace CamaraQos.Controller.Tests.Auth;

public class DiscoveryTests
{
    [Fact]
    public async Task DiscoveryDocumentAdvertisesTheEmbeddedServerForPollModeCiba()
    {
        await using var host = new AuthHost();
        using var response = await host.Get("/.well-known/openid-configuration", null);
        var doc = await Json(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("camaraqos", doc.GetProperty("issuer").GetString());
        Assert.Equal("http://localhost/oauth2/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal("http://localhost/oauth2/bc-authorize", doc.GetProperty("backchannel_authentication_endpoint").GetString());
        Assert.Equal("http://localhost/.well-known/jwks.json", doc.GetProperty("jwks_uri").GetString());
        Assert.Equal(["client_credentials", "urn:openid:params:grant-type:ciba"], Strings(doc, "grant_types_supported"));
        Assert.Equal(["poll"], Strings(doc, "backchannel_token_delivery_modes_supported"));
        Assert.Equal(["openid", .. Scopes.All], Strings(doc, "scopes_supported"));
    }

    [Fact]
    public async Task AbsoluteIssuerIsTheBaseOfTheAdvertisedEndpointsAndTheTokensIss()
    {
        await using var host = new AuthHost(settings: new Dictionary<string, string?> { ["Auth:Issuer"] = "https://auth.isp.example/" });
        var doc = await Json(await host.Get("/.well-known/openid-configuration", null));

        Assert.Equal("https://auth.isp.example/oauth2/token", doc.GetProperty("token_endpoint").GetString());
        var token = await host.Token(AppClient, AppSecret);
        var jwt = await Jwks.VerifyAsync(host, token, audience: "https://auth.isp.example/", issuer: "https://auth.isp.example/");
        Assert.Equal("https://auth.isp.example/", jwt.Issuer);
    }

    [Fact]
    public async Task JwksPublishesOnlyThePublicHalfOfTheEs256Key()
    {
        await using var host = new AuthHost();
        var jwks = await Json(await host.Get("/.well-known/jwks.json", null));

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.Equal(32, Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(key.GetProperty("x").GetString()).Length);
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task ExternalAuthorityModeServesNoEmbeddedServer()
    {
        await using var host = new AuthHost(settings: new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://idp.example/realms/isp",
            ["Auth:Audience"] = "camaraqos",
        });
        using var token = await host.PostForm("/oauth2/token", Basic(AppClient, AppSecret), ("grant_type", "client_credentials"));
        using var jwks = await host.Get("/.well-known/jwks.json", null);

        await AssertErrorInfo(token, HttpStatusCode.NotFound, "NOT_FOUND");
        await AssertErrorInfo(jwks, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    private static string[] Strings(System.Text.Json.JsonElement doc, string name) =>
        [.. doc.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
