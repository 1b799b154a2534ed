using System.Security.Claims;
using CamaraQos.Controller.Camara;

namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>The ownership rule both QoD versions apply to a session id in the path.</summary>
public static class SessionAccess
{
    /// <summary>
    /// Resources are visible only to the API client (and, 3-legged, the subscriber) that created them.
    /// A malformed id is 400 (specs/camara/NOTES.md row 4), an unknown one 404 with the version's own message.
    /// </summary>
    public static async Task<(Session?, CamaraError?)> LoadOwnedAsync(
        string rawId, ClaimsPrincipal user, SessionStore store, string notFoundMessage, CancellationToken ct)
    {
        if (SessionRules.ParseSessionId(rawId, out var id) is { } invalid)
        {
            return (null, invalid);
        }
        var session = await store.FindAsync(id, ct);
        if (session is null)
        {
            return (null, CamaraError.NotFound(notFoundMessage));
        }
        var caller = Caller.From(user);
        return session.ClientId != caller.ClientId || (caller.IsThreeLegged && session.SubscriberId != caller.SubscriberId)
            ? (null, CamaraError.PermissionDenied("The session was created by another API client or for another subscriber."))
            : (session, null);
    }
}
