using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace CamaraQos.Controller.Camara;

public sealed class RequestLimitsOptions
{
    public const string Section = "RequestLimits";

    /// <summary>Largest request body accepted; CAMARA bodies are a few KB.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Longest path plus query accepted (Kestrel's own 8 KB request-line limit stays the outer bound).</summary>
    public int MaxUrlLength { get; set; } = 4096;

    /// <summary>Largest total of header names and values (Kestrel's own 32 KB limit stays the outer bound).</summary>
    public int MaxHeadersBytes { get; set; } = 16 * 1024;
}

/// <summary>
/// Client mistakes the framework would otherwise answer itself, bare or as a 500: oversized URL,
/// headers or body (414, 431, 413), a JSON body in a charset other than UTF-8 (415), and a body the
/// JSON reader refuses (400). Each is an ErrorInfo with the correlator, logged at Debug: a client can
/// send these at will, so they are not errors of ours.
/// </summary>
public static partial class RequestGuard
{
    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestLimitsOptions>>().Value;
        if (Refusal(context.Request, limits) is { } refused)
        {
            await RejectAsync(context, refused, null);
            return;
        }
        // Bodies without Content-Length (chunked) are held to the same limit while they are read.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBodyBytes;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            await RejectAsync(context, FromBadRequest(context.Request, bad), bad);
        }
    }

    private static CamaraError? Refusal(HttpRequest request, RequestLimitsOptions limits)
    {
        if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > limits.MaxUrlLength)
        {
            return new(414, "URI_TOO_LONG", $"The request URL is longer than {limits.MaxUrlLength} characters.");
        }
        if (request.Headers.Sum(h => h.Key.Length + h.Value.Sum(v => v?.Length ?? 0)) > limits.MaxHeadersBytes)
        {
            return new(431, "REQUEST_HEADER_FIELDS_TOO_LARGE", $"The request headers are larger than {limits.MaxHeadersBytes} bytes.");
        }
        if (request.ContentLength > limits.MaxBodyBytes)
        {
            return new(413, "PAYLOAD_TOO_LARGE", $"The request body is larger than {limits.MaxBodyBytes} bytes.");
        }
        // RFC 8259 §8.1: JSON between systems is UTF-8. Another charset would be decoded (or, unknown,
        // fail deep in the framework); CAMARA_common's Generic415 is the answer for such a media type.
        if (request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var media)
            && IsJson(media) && media.Charset.HasValue
            && !string.Equals(media.Charset.Value.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return new(415, "UNSUPPORTED_MEDIA_TYPE", "A JSON request body must be UTF-8: charset must be absent or utf-8.");
        }
        return null;
    }

    private static bool IsJson(MediaTypeHeaderValue media) =>
        media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true;

    private static CamaraError FromBadRequest(HttpRequest request, BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return CamaraError.InvalidArgument(BodyErrors.Describe(json));
        }
        var generic = CamaraError.ForStatus(bad.StatusCode);
        // The framework's text names .NET parameter types; say what is missing instead.
        return bad.StatusCode == 400 && request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any()
            ? CamaraError.InvalidArgument("A JSON request body is required.")
            : bad.StatusCode == 413
                ? new CamaraError(413, generic.Value.Code, "The request body is larger than the limit.")
                : generic;
    }

    private static Task RejectAsync(HttpContext context, CamaraError error, Exception? cause)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CamaraQos.Controller.ClientErrors");
        LogRejected(logger, context.Request.Method, ClientValue.Echo(context.Request.Path.Value), error.Value.Status, error.Value.Code, Correlator.Of(context), cause?.GetType().Name);
        return error.ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected {Method} {Path}: {Status} {Code} (x-correlator {Correlator}, {Cause})")]
    private static partial void LogRejected(ILogger logger, string method, string path, int status, string code, string? correlator, string? cause);
}
