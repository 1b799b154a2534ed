using System.Threading.RateLimiting;
using CamaraQos.Controller.Camara;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// The token and CIBA endpoints' limit per client (<c>RateLimiting:PermitLimit</c> per window), beside the
/// per-address one of the route group. Anonymous requests carry their client only in the body, so the route
/// limiter sees an address; behind a proxy that is the proxy's, and one client's wrong secrets would lock out
/// every client. Counted before the secret is checked, so guessing one client's secret is bounded too;
/// an id no client has is counted per address, so made-up ids cannot create partitions without end.
/// </summary>
public sealed class OAuthClientLimiter(IOptions<RateLimitOptions> options, ClientRegistry clients) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PermitLimit,
            Window = TimeSpan.FromSeconds(options.Value.WindowSeconds),
            QueueLimit = 0,
        }));

    /// <summary>Null when the request may go on, else the 429 to answer.</summary>
    public OAuthError? Admit(string? claimedClientId, HttpContext http)
    {
        var key = claimedClientId is not null && clients.Find(claimedClientId) is not null
            ? "client " + claimedClientId
            : "unknown client from " + (http.Connection.RemoteIpAddress?.ToString() ?? "?");
        using var lease = _limiter.AttemptAcquire(key);
        return lease.IsAcquired
            ? null
            : new OAuthError(429, "temporarily_unavailable", $"Too many requests for this client; at most {options.Value.PermitLimit} per {options.Value.WindowSeconds} s.");
    }

    public void Dispose() => _limiter.Dispose();
}
