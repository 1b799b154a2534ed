using System.Collections.Concurrent;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.Notifications;

/// <summary>
/// The real controller (Program) on a SQLite file, with lab flags on and short backoff so retries happen
/// within a test. Several hosts may share one file to prove the outbox survives a restart.
/// </summary>
public sealed class NotificationHost(string databasePath, IDictionary<string, string?>? overrides = null)
    : WebApplicationFactory<Program>
{
    /// <summary>With a PostgreSQL server: one database per path, shared by the hosts given that path, as the file is.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<TestPostgres>> PostgresByPath = new();

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), $"camaraqos-notify-{Guid.NewGuid():N}.db");

    public INotificationOutbox Outbox => Services.GetRequiredService<INotificationOutbox>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            // The embedded MQTT broker picks a free port, so hosts in parallel tests do not collide.
            ["Mqtt:Port"] = "0",
            ["Storage:ConnectionString"] = $"Data Source={databasePath}",
            ["Notifications:AllowHttpSinks"] = "true",
            ["Notifications:MaxAttempts"] = "1000",
            ["Notifications:AllowPrivateSinks"] = "true",
            ["Notifications:InitialBackoff"] = "00:00:00.050",
            ["Notifications:MaxBackoff"] = "00:00:00.200",
            ["Notifications:PollInterval"] = "00:00:02",
            ["Notifications:RequestTimeout"] = "00:00:05",
        };
        // On the PostgreSQL tests/run.sh starts, when there is one, to exercise FOR UPDATE SKIP LOCKED.
        if (TestPostgres.Server is not null)
        {
            settings["Storage:Provider"] = "Postgres";
            settings["Storage:ConnectionString"] = PostgresByPath.GetOrAdd(databasePath, _ => new Lazy<TestPostgres>(TestPostgres.Create)).Value.ConnectionString;
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    /// <summary>Waits until the stored row satisfies <paramref name="done"/>, re-reading it as it changes.</summary>
    public async Task<OutboxEntry> WaitForAsync(string id, Func<OutboxEntry, bool> done, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var entry = await Outbox.FindAsync(id, cts.Token);
            if (entry is not null && done(entry))
            {
                return entry;
            }
            // Re-read interval for the row, not a wait for the feature: the deadline above bounds the test.
            await Task.Delay(20, cts.Token);
        }
    }

    public static void DeleteDatabase(string path)
    {
        if (PostgresByPath.TryRemove(path, out var postgres) && postgres.IsValueCreated)
        {
            postgres.Value.Dispose();
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
