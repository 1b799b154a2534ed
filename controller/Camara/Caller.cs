using System.Security.Claims;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// Who is calling, from the validated token: the API client that owns the resources it creates and,
/// for a 3-legged token, the subscriber the token was issued for.
/// </summary>
public sealed record Caller(string ClientId, string? SubscriberId)
{
    public const string ClientIdClaim = "client_id";
    public const string ScopeClaim = "scope";

    public bool IsThreeLegged => SubscriberId is not null;

    public static string? ClientIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(ClientIdClaim) ?? user.FindFirstValue("azp") ?? user.FindFirstValue("sub")
            : null;

    /// <summary>
    /// 2-legged tokens have <c>sub</c> = the client; a 3-legged token's <c>sub</c> is the subscriber
    /// (the embedded server's CIBA grant, or an external provider's user).
    /// </summary>
    public static Caller From(ClaimsPrincipal user)
    {
        var clientId = ClientIdOf(user) ?? throw new InvalidOperationException("No authenticated caller.");
        var sub = user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        return new Caller(clientId, sub is not null && sub != clientId ? sub : null);
    }
}
