using CamaraQos.Controller.Health;
using CamaraQos.Controller.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Notifications;

/// <summary>CloudEvents to API consumers' sinks through a durable outbox (docs/ARCHITECTURE.md §2, §5, §8).</summary>
public static class NotificationsSetup
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.MaxAttempts >= 1, "Notifications:MaxAttempts must be at least 1.")
            .Validate(o => o.InitialBackoff > TimeSpan.Zero, "Notifications:InitialBackoff must be positive.")
            .Validate(o => o.MaxBackoff >= o.InitialBackoff, "Notifications:MaxBackoff must be at least Notifications:InitialBackoff.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Notifications:PollInterval must be positive.")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Notifications:RequestTimeout must be positive.")
            .Validate(o => o.MaxConcurrency >= 1, "Notifications:MaxConcurrency must be at least 1.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<NotificationOutbox>());
        services.AddSingleton<SinkValidator>();
        services.AddSingleton<SinkConnector>();
        services.AddHttpClient(NotificationDispatcher.ClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptionsMonitor<NotificationOptions>>().CurrentValue.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<SinkConnector>().ConnectAsync,
                // A redirect would let a sink send us somewhere unvalidated (e.g. from https to http).
                AllowAutoRedirect = false,
                // Through a proxy (HTTP_PROXY, the system's) the socket SinkConnector checks would be the
                // proxy's and the sink's address never judged; a sink is always dialled directly.
                UseProxy = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.AddLoopHeartbeats();
        services.AddHostedService<NotificationDispatcher>();
        return builder;
    }
}
