using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CamaraQos.Controller.Observability;

/// <summary>
/// Metrics on <c>GET /metrics</c> (Prometheus text, unauthenticated: an operator's endpoint, not a CAMARA
/// API), traces to OTLP when <c>Observability:OtlpEndpoint</c> is set, log scopes for every request.
/// </summary>
public static class ObservabilitySetup
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        EscapingConsoleFormatter.Register(services);
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ObservabilityOptions>, OptionsValidator>();
        services.AddSingleton<StateCounts>();
        services.AddSingleton<ControllerMetrics>();
        services.AddSingleton<PublishedDocuments>();
        // Bound before the options exist: the provider builders are configured while services are registered.
        var otlp = builder.Configuration.GetSection(ObservabilityOptions.Section).Get<ObservabilityOptions>() ?? new();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("camaraqos-controller"))
            .WithMetrics(metrics => metrics
                .AddMeter(ControllerMetrics.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter())
            .WithTracing(tracing =>
            {
                tracing.AddSource(ControllerActivity.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != MetricsPath)
                    .AddHttpClientInstrumentation();
                if (otlp.OtlpEndpoint is { } endpoint)
                {
                    tracing.AddOtlpExporter(o =>
                    {
                        o.Endpoint = endpoint;
                        o.Protocol = otlp.OtlpProtocol == "HttpProtobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    });
                }
            });
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) => metrics.AddView(instrument => OnlyThisHost(sp, instrument)));
        return builder;
    }

    public static WebApplication UseObservability(this WebApplication app)
    {
        // Created now, not at the first scrape, so its gauges exist from the start.
        app.Services.GetRequiredService<ControllerMetrics>();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>
    /// A meter made by a host's <see cref="IMeterFactory"/> (ours, ASP.NET Core's) belongs to that host: the
    /// SDK listens by meter name process-wide, so without this a second host in the process (tests, a
    /// benchmark) would count the first one's requests and sessions too. Process-wide meters (runtime,
    /// Npgsql, HttpClient) have no scope and are kept.
    /// </summary>
    private static MetricStreamConfiguration? OnlyThisHost(IServiceProvider services, Instrument instrument) =>
        instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, services.GetRequiredService<IMeterFactory>())
            ? MetricStreamConfiguration.Drop
            : null;

    private sealed class OptionsValidator : IValidateOptions<ObservabilityOptions>
    {
        public ValidateOptionsResult Validate(string? name, ObservabilityOptions options)
        {
            var failures = ObservabilityOptions.Validate(options).ToArray();
            return failures.Length == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
