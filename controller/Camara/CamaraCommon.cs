using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Camara;

public sealed class RateLimitOptions
{
    /// <summary>Requests one API client may make per window, across all APIs.</summary>
    public int PermitLimit { get; set; } = 600;
    public int WindowSeconds { get; set; } = 60;

    /// <summary>
    /// Requests without a bearer token (token, CIBA, anything unauthenticated) one remote address may make per
    /// window. Larger than <see cref="PermitLimit"/>: many clients may share an address (NAT, a proxy whose
    /// <c>ForwardedHeaders</c> are not configured); each client is still held to PermitLimit on its own.
    /// </summary>
    public int AddressPermitLimit { get; set; } = 3000;
}

/// <summary>The CAMARA rules every API shares: errors, x-correlator, JSON, rate limits.</summary>
public static partial class CamaraCommon
{
    public const string RateLimitPolicy = "per-client";

    public static WebApplicationBuilder AddCamaraCommon(this WebApplicationBuilder builder)
    {
        ForwardedClients.Add(builder);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new Rfc3339Converter());
            // JsonSerializerDefaults.Web reads "60" as 60; the specs' integers are JSON numbers.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ControllerJson.Default);
        });
        // A malformed body or wrong content type becomes an exception RequestGuard turns into ErrorInfo,
        // instead of a bare 400 the framework writes itself.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.Section)
            .Validate(o => o.MaxBodyBytes > 0, "RequestLimits:MaxBodyBytes must be positive.")
            .Validate(o => o.MaxUrlLength > 0, "RequestLimits:MaxUrlLength must be positive.")
            .Validate(o => o.MaxHeadersBytes > 0, "RequestLimits:MaxHeadersBytes must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimiting")
            .Validate(o => o.PermitLimit > 0, "RateLimiting:PermitLimit must be positive.")
            .Validate(o => o.WindowSeconds > 0, "RateLimiting:WindowSeconds must be positive.")
            .Validate(o => o.AddressPermitLimit > 0, "RateLimiting:AddressPermitLimit must be positive.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = 429;
            o.OnRejected = (ctx, _) => new ValueTask(CamaraError.TooManyRequests().ExecuteAsync(ctx.HttpContext));
            o.AddPolicy(RateLimitPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var client = Caller.ClientIdOf(http.User);
                var key = client is not null ? "client " + client : "address " + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = client is not null ? limits.PermitLimit : limits.AddressPermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                });
            });
        });
        return builder;
    }

    /// <summary>Order matters: forwarded client addresses first, then errors, then the correlator, the request guard, then auth and rate limits.</summary>
    public static WebApplication UseCamaraCommon(this WebApplication app)
    {
        ForwardedClients.Use(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleException, SuppressDiagnosticsCallback = _ => false });
        app.Use(Correlator.Middleware);
        app.Use(RequestGuard.Middleware);
        app.UseStatusCodePages(ctx =>
            ctx.HttpContext.Response.HasStarted || ctx.HttpContext.Response.ContentLength > 0
                ? Task.CompletedTask
                : CamaraError.ForStatus(ctx.HttpContext.Response.StatusCode).ExecuteAsync(ctx.HttpContext));
        app.UseAuthentication();
        app.Use(Observability.LogScopes.RequestMiddleware);
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static Task HandleException(HttpContext context)
    {
        // Client mistakes (BadHttpRequestException) are answered by RequestGuard; what reaches here is ours.
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CamaraQos.Controller.Errors");
        LogUnhandled(logger, error, context.Request.Method, context.Request.Path, Correlator.Of(context));
        return CamaraError.Internal().ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path} (x-correlator {Correlator})")]
    private static partial void LogUnhandled(ILogger logger, Exception? error, string method, string path, string? correlator);
}
