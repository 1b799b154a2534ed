using System.Net;
using CamaraQos.Controller.Camara;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// Checks <c>sink</c> and <c>sinkCredential</c> when a resource is created (QoD v1.1.0 CreateSession).
/// Host names are judged again at connect time by <see cref="SinkConnector"/>, since DNS can change.
/// </summary>
public sealed class SinkValidator(IOptionsMonitor<NotificationOptions> options, TimeProvider time)
{
    /// <summary>Longer sinks are refused; the spec sets no limit, the outbox row needs one.</summary>
    public const int MaxSinkLength = 2048;

    /// <summary>Null when both are acceptable; otherwise the CAMARA error to return (400).</summary>
    public CamaraError? Validate(string? sink, SinkCredential? credential) =>
        ValidateSink(sink) ?? ValidateCredential(credential);

    public CamaraError? ValidateSink(string? sink)
    {
        var o = options.CurrentValue;
        return CheckSink(sink, o.AllowHttpSinks, o.AllowPrivateSinks);
    }

    public CamaraError? ValidateCredential(SinkCredential? credential) =>
        CheckCredential(credential, time.GetUtcNow());

    public static CamaraError? CheckSink(string? sink, bool allowHttp, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(sink) || sink.Length > MaxSinkLength
            || !Uri.TryCreate(sink, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return CamaraError.InvalidSink("sink must be an absolute https URL.");
        }
        var httpsOnly = uri.Scheme == Uri.UriSchemeHttps || (allowHttp && uri.Scheme == Uri.UriSchemeHttp);
        if (!httpsOnly)
        {
            return CamaraError.InvalidSink("sink not valid for the specified protocol: only https is supported.");
        }
        if (uri.UserInfo.Length > 0)
        {
            return CamaraError.InvalidSink("sink must not carry user information; use sinkCredential.");
        }
        if (!allowPrivate && IsPrivateHost(uri))
        {
            return CamaraError.InvalidSink("sink must not point at a loopback, private or link-local address.");
        }
        return null;
    }

    /// <summary>
    /// Only ACCESSTOKEN is usable (spec: "MUST be set to ACCESSTOKEN"; specs/camara/NOTES.md row 5); its three
    /// properties are required by AccessTokenCredential, and accessTokenType is the enum [bearer].
    /// </summary>
    public static CamaraError? CheckCredential(SinkCredential? credential, DateTimeOffset now)
    {
        if (credential is null)
        {
            return null;
        }
        switch (credential.CredentialType)
        {
            case SinkCredential.Plain or SinkCredential.RefreshToken:
                return CamaraError.InvalidCredential("Only Access token is supported");
            case SinkCredential.AccessTokenCredential:
                break;
            case null:
                return CamaraError.InvalidArgument("sinkCredential.credentialType is required.");
            default:
                return CamaraError.InvalidArgument("sinkCredential.credentialType must be one of PLAIN, ACCESSTOKEN, REFRESHTOKEN.");
        }
        if (string.IsNullOrEmpty(credential.AccessToken))
        {
            return CamaraError.InvalidArgument("sinkCredential.accessToken is required.");
        }
        if (credential.AccessToken.Any(char.IsControl))
        {
            // It becomes an HTTP header value (RFC 6750 §2.1); CR/LF would split the header.
            return CamaraError.InvalidArgument("sinkCredential.accessToken must not contain control characters.");
        }
        if (credential.AccessTokenExpiresUtc is not { } expires)
        {
            return CamaraError.InvalidArgument("sinkCredential.accessTokenExpiresUtc is required.");
        }
        if (credential.AccessTokenType is null)
        {
            return CamaraError.InvalidArgument("sinkCredential.accessTokenType is required.");
        }
        // RFC 6749 §5.1: token_type is case insensitive; the spec's enum spells it "bearer".
        if (!string.Equals(credential.AccessTokenType, SinkCredential.Bearer, StringComparison.OrdinalIgnoreCase))
        {
            // QoD v1.1.0 CreateSessionBadRequest400 example INVALID_TOKEN: "Only bearer token is supported".
            return CamaraError.InvalidToken("Only bearer token is supported.");
        }
        return expires <= now
            ? CamaraError.InvalidCredential("sinkCredential.accessTokenExpiresUtc is in the past.")
            : null;
    }

    /// <summary>Literal addresses, and the names RFC 6761 §6.3 reserves for loopback.</summary>
    private static bool IsPrivateHost(Uri uri)
    {
        var host = uri.IdnHost;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(host, out var address)
            && SinkAddress.IsPrivate(address);
    }
}
