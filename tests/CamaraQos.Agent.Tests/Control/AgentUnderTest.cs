using System.Collections.Concurrent;
using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Control;
using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>
/// The agent's real control services (ControlChannel, DesiredPump) in a host, with a fake enforcer
/// and without the kernel watcher: tests set the network snapshot themselves.
/// </summary>
public sealed class AgentUnderTest : IAsyncDisposable
{
    private static long _runs = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private readonly IHost _host;

    private AgentUnderTest(IHost host, AgentSettings settings, ConcurrentQueue<string> log)
    {
        _host = host;
        Settings = settings;
        Log = log;
    }

    public AgentSettings Settings { get; }

    public FakeEnforcer Enforcer => (FakeEnforcer)_host.Services.GetRequiredService<IEnforcer>();

    public NetworkState Network => _host.Services.GetRequiredService<NetworkState>();

    public long BootEpoch => _host.Services.GetRequiredService<AgentBoot>().Epoch;

    public ConcurrentQueue<string> Log { get; }

    public static string NewId() => "test-gw-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Starts the agent; tests subscribe their probes first (with <see cref="NewId"/>) so no message races them.</summary>
    public static async Task<AgentUnderTest> StartAsync(int brokerPort, string? agentId = null, string? password = null)
    {
        var id = agentId ?? NewId();
        var settings = new AgentSettings
        {
            AgentId = id,
            Password = password,
            MqttHost = "127.0.0.1",
            MqttPort = brokerPort,
            WanInterface = "wan0",
            LanInterfaces = ["lan0"],
            UplinkKbps = 20000,
            DownlinkKbps = 100000,
            StateDirectory = "/nonexistent",
            InventoryPollInterval = TimeSpan.FromHours(1),
            Reconnect = new BackoffPolicy(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(500), 2),
        };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // The composition root's part: one identity; each start of a test agent is a new run.
        builder.Services.AddSingleton(new AgentIdentity(id, Interlocked.Increment(ref _runs)));
        builder.Services.AddControl(settings);
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType == typeof(NetworkWatcher)));
        builder.Services.AddSingleton<IEnforcer>(new FakeEnforcer(id));
        builder.Services.AddSingleton<ICapabilityProbe, FixedCapabilities>();
        var log = new ConcurrentQueue<string>();
        builder.Logging.AddProvider(new QueueLoggerProvider(log));
        var host = builder.Build();
        await host.StartAsync();
        return new AgentUnderTest(host, settings, log);
    }

    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        foreach (var line in Log)
        {
            Xunit.TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> queue) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(queue);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> queue) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            queue.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
