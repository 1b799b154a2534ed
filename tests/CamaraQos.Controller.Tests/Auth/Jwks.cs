using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace CamaraQos.Controller.Tests.Auth;

/// <summary>Checks a token the way a relying party would: keys from the published JWKS only.</summary>
internal static class Jwks
{
    public static async Task<JsonWebToken> VerifyAsync(AuthHost host, string token, string audience, string issuer = "camaraqos")
    {
        var jwks = new JsonWebKeySet(await host.Http.GetStringAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = issuer,
            ValidAudience = audience,
            // The host runs on a fake clock; lifetime is asserted from the claims instead.
            ValidateLifetime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
