using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamaraQos.Controller.Health;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> for orchestrators and load balancers, and the systemd
/// notify/watchdog integration. Not CAMARA APIs: plain health output, no token, no rate limit, no ErrorInfo.
/// </summary>
public static class HealthSetup
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string Live = "live";
    private const string Ready = "ready";

    public static WebApplicationBuilder AddHealth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddLoopHeartbeats();
        services.AddHealthChecks()
            .AddCheck<LoopsHealthCheck>("loops", tags: [Live, Ready])
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<MqttHealthCheck>("mqtt", tags: [Ready]);
        // READY=1 once started and STOPPING=1 (Type=notify); registers nothing unless started by systemd.
        services.AddSystemd();
        // Elsewhere a disabled notifier (no NOTIFY_SOCKET), so the watchdog simply does not run.
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<SystemdWatchdog>();
        return builder;
    }

    /// <summary>The one registry every feature with a background loop asks for (idempotent).</summary>
    public static IServiceCollection AddLoopHeartbeats(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LoopHeartbeats>();
        return services;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, Options(Live)).WithMetadata(SkipErrorInfo.Instance).ExcludeFromDescription();
        app.MapHealthChecks(ReadyPath, Options(Ready)).WithMetadata(SkipErrorInfo.Instance).ExcludeFromDescription();
        return app;
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthResponse.WriteAsync,
        AllowCachingResponses = false,
    };

    /// <summary>A 503 from a health check is the answer itself: the CAMARA status-code pages must not replace it.</summary>
    private sealed class SkipErrorInfo : ISkipStatusCodePagesMetadata
    {
        public static readonly SkipErrorInfo Instance = new();
    }
}
