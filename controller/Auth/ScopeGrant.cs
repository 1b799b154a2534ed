using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// Which scopes a token gets: RFC 6749 §3.3 lets the server grant fewer than requested, so the grant
/// is what was requested and the client is allowed; a scope nobody knows is <c>invalid_scope</c>.
/// </summary>
public static class ScopeGrant
{
    /// <summary>OpenID Connect's marker scope, meaningful only for the CIBA (3-legged) grant.</summary>
    public const string OpenId = "openid";

    public static IReadOnlyList<string> Parse(string? scope) =>
        (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();

    public static bool IsKnown(string scope) => scope == OpenId || Scopes.All.Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// No requested API scope (absent parameter, or only <c>openid</c>) grants everything the client
    /// may have; otherwise the intersection, which must not be empty.
    /// </summary>
    public static Result Decide(string? requested, IReadOnlyCollection<string> allowed, bool allowOpenId)
    {
        var asked = Parse(requested);
        var unknown = asked.Where(s => !IsKnown(s)).ToList();
        if (unknown.Count > 0)
        {
            return Result.Fail($"Unknown scope: {ClientValue.Echo(string.Join(' ', unknown))}.");
        }
        var askedApi = asked.Where(s => s != OpenId).ToList();
        var granted = askedApi.Count == 0 ? [.. allowed] : askedApi.Where(allowed.Contains).ToList();
        if (granted.Count == 0)
        {
            return Result.Fail("None of the requested scopes is allowed for this client.");
        }
        if (allowOpenId && asked.Contains(OpenId))
        {
            granted.Insert(0, OpenId);
        }
        return new Result(granted, null);
    }

    public sealed record Result(IReadOnlyList<string> Granted, string? Error)
    {
        public static Result Fail(string error) => new([], error);

        public string Scope => string.Join(' ', Granted);
    }
}
