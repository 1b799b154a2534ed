using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Server;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>A real in-process MQTTnet broker on a free loopback port; restartable on the same port.</summary>
public sealed class Broker : IAsyncDisposable
{
    private MqttServer? _server;

    private readonly IPAddress _bind;

    private Broker(int port, IPAddress bind)
    {
        Port = port;
        _bind = bind;
    }

    public int Port { get; }

    /// <summary>When set, only this agent id with this password may connect (the probes use no user name).</summary>
    public (string User, string Password)? Credentials { get; set; }

    /// <summary>On loopback, or on <paramref name="bind"/> (a lab's host-side management address).</summary>
    public static async Task<Broker> StartAsync(IPAddress? bind = null)
    {
        var broker = new Broker(FreePort(), bind ?? IPAddress.Loopback);
        await broker.StartServerAsync();
        return broker;
    }

    /// <summary>
    /// A port free now and never handed out before in this process. The broker binds with ReuseAddress (so a
    /// restart rebinds at once), which on Linux .NET also sets SO_REUSEPORT: two brokers given the same port
    /// (the second picked between the first's probe and bind, or during its restart) would both bind it and
    /// share its connections without an error.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>Stops the broker and starts a brand-new one: no sessions, subscriptions or retained messages survive.</summary>
    public async Task RestartAsync()
    {
        await StopServerAsync();
        await StartServerAsync();
    }

    public Task InjectRetainedAsync(string topic, string json) => _server!.InjectApplicationMessage(
        new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(json).WithRetainFlag()
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build())
        { SenderClientId = "test-controller" });

    private async Task StartServerAsync()
    {
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(_bind)
            .WithDefaultEndpointPort(Port)
            .WithDefaultEndpointReuseAddress()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += e =>
        {
            if (Credentials is { } c && e.UserName is { Length: > 0 } && (e.UserName != c.User || e.Password != c.Password))
            {
                e.ReasonCode = MQTTnet.Protocol.MqttConnectReasonCode.BadUserNameOrPassword;
            }
            return Task.CompletedTask;
        };
        await _server.StartAsync();
    }

    private async Task StopServerAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.StopAsync();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopServerAsync();
}
