using System.Security.Cryptography;
using CamaraQos.Controller.Camara;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// Signs the embedded server's JWTs (RFC 9068 shape): 2-legged tokens have <c>sub</c> = the client,
/// 3-legged ones <c>sub</c> = the subscriber; <c>client_id</c> always names the client.
/// </summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, SigningKeyRing keys, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly AuthOptions _options = options.Value;

    public TokenResponse Issue(string clientId, string? subscriberId, IReadOnlyList<string> scopes)
    {
        var scope = string.Join(' ', scopes);
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = subscriberId ?? clientId,
            [Caller.ClientIdClaim] = clientId,
            [Caller.ScopeClaim] = scope,
            [JwtRegisteredClaimNames.Jti] = NewId(),
        };
        var accessToken = Sign(claims, _options.EffectiveAudience, "at+jwt");
        string? idToken = null;
        if (subscriberId is not null && scopes.Contains(ScopeGrant.OpenId))
        {
            // OpenID CIBA Core §10.1.1: the ID token's audience is the client.
            idToken = Sign(new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = subscriberId }, clientId, null);
        }
        return new TokenResponse(accessToken, "Bearer", _options.TokenLifetimeSeconds, scope, idToken);
    }

    /// <summary>Unguessable ids (256 bits) for <c>jti</c> and <c>auth_req_id</c>.</summary>
    public static string NewId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private string Sign(Dictionary<string, object> claims, string audience, string? type)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(_options.TokenLifetimeSeconds),
            Claims = claims,
            SigningCredentials = keys.Credentials,
            TokenType = type,
        });
    }
}
