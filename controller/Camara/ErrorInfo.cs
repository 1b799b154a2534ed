using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace CamaraQos.Controller.Camara;

/// <summary>The CAMARA error body (CAMARA_common ErrorInfo): always <c>application/json</c>.</summary>
public sealed record ErrorInfo(int Status, string Code, string Message);

/// <summary>
/// The one way an error leaves the controller: handlers return it, the status-code and exception
/// handlers write it. Never <c>application/problem+json</c>.
/// </summary>
public sealed class CamaraError(int status, string code, string message)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ErrorInfo>, IEndpointMetadataProvider
{
    public ErrorInfo Value { get; } = new(status, code, message);
    object? IValueHttpResult.Value => Value;
    public int? StatusCode => Value.Status;

    public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext.Response, Value);

    public static Task Write(HttpResponse response, ErrorInfo error)
    {
        response.StatusCode = error.Status;
        return response.WriteAsJsonAsync(error, ControllerJson.Default.ErrorInfo, "application/json");
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(400, typeof(ErrorInfo), ["application/json"]));

    public override string ToString() => $"{Value.Status} {Value.Code}: {Value.Message}";

    // The codes of CAMARA_common r3.4 and the APIs we serve, so each is spelled once.
    public static CamaraError InvalidArgument(string message) => new(400, "INVALID_ARGUMENT", message);
    public static CamaraError OutOfRange(string message) => new(400, "OUT_OF_RANGE", message);
    public static CamaraError InvalidSink(string message) => new(400, "INVALID_SINK", message);
    public static CamaraError InvalidCredential(string message) => new(400, "INVALID_CREDENTIAL", message);
    public static CamaraError InvalidToken(string message) => new(400, "INVALID_TOKEN", message);
    public static CamaraError Unauthenticated(string message = "Request not authenticated due to missing, invalid, or expired credentials.") => new(401, "UNAUTHENTICATED", message);
    public static CamaraError PermissionDenied(string message = "Client does not have sufficient permissions to perform this action.") => new(403, "PERMISSION_DENIED", message);
    public static CamaraError NotFound(string message = "The specified resource is not found.") => new(404, "NOT_FOUND", message);
    public static CamaraError IdentifierNotFound(string message = "Device identifier not found.") => new(404, "IDENTIFIER_NOT_FOUND", message);
    public static CamaraError Conflict(string message) => new(409, "CONFLICT", message);
    public static CamaraError Gone(string message = "Access to the target resource is no longer available.") => new(410, "GONE", message);
    public static CamaraError ServiceNotApplicable(string message = "The service is not available for the provided identifier.") => new(422, "SERVICE_NOT_APPLICABLE", message);
    public static CamaraError MissingIdentifier(string message = "The device cannot be identified.") => new(422, "MISSING_IDENTIFIER", message);
    public static CamaraError UnsupportedIdentifier(string message = "The identifier provided is not supported.") => new(422, "UNSUPPORTED_IDENTIFIER", message);
    public static CamaraError UnnecessaryIdentifier(string message = "The device is already identified by the access token.") => new(422, "UNNECESSARY_IDENTIFIER", message);
    public static CamaraError TooManyRequests(string message = "Rate limit reached.") => new(429, "TOO_MANY_REQUESTS", message);
    public static CamaraError Internal() => new(500, "INTERNAL", "An internal error occurred.");
    public static CamaraError Unavailable(string message = "Service Unavailable.") => new(503, "UNAVAILABLE", message);

    /// <summary>The generic code for a bare status (routing, auth, framework rejections).</summary>
    public static CamaraError ForStatus(int status) => status switch
    {
        400 => InvalidArgument("Client specified an invalid argument, request body or query param."),
        401 => Unauthenticated(),
        403 => PermissionDenied(),
        404 => NotFound("The requested resource does not exist."),
        405 => new(405, "METHOD_NOT_ALLOWED", "The requested method is not allowed/supported on the target resource."),
        406 => new(406, "NOT_ACCEPTABLE", "The server cannot produce a response matching the content requested by the client through Accept-* headers."),
        411 => new(411, "LENGTH_REQUIRED", "The Content-Length header is required."),
        413 => new(413, "PAYLOAD_TOO_LARGE", "The request body is too large."),
        415 => new(415, "UNSUPPORTED_MEDIA_TYPE", "The server refuses to accept the request because the payload format is in an unsupported format."),
        429 => TooManyRequests(),
        501 => new(501, "NOT_IMPLEMENTED", "This functionality is not implemented yet."),
        502 => new(502, "BAD_GATEWAY", "An upstream server returned an invalid response."),
        503 => Unavailable(),
        504 => new(504, "TIMEOUT", "Request timeout exceeded."),
        >= 500 => Internal(),
        _ => new(status, "INVALID_ARGUMENT", "The request was rejected."),
    };
}
