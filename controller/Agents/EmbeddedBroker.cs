using System.Net;
using System.Net.Sockets;
using System.Text;
using CamaraQos.Shared;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// The embedded MQTTnet broker (<c>Mqtt:Mode=Embedded</c>): authenticates every agent against the
/// credentials registered through the admin API and confines it to its own topics (§4).
/// </summary>
public sealed partial class EmbeddedBroker(
    IOptions<MqttOptions> options,
    MqttEndpoint endpoint,
    ControllerCredential credential,
    AgentDirectory directory,
    AgentStore store,
    ILogger<EmbeddedBroker> logger) : IHostedService, IAsyncDisposable
{
    private const string AgentItem = "camaraqos.agent";
    private const string ControllerItem = "camaraqos.controller";
    private MqttServer? _server;

    /// <summary>True while the broker listens (embedded mode only; readiness asks).</summary>
    public bool IsStarted => _server is { IsStarted: true };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var address = IPAddress.Parse(o.BindAddress);
        // Port 0 is "any free port": MQTTnet does not say which port it bound, so one is picked first, and
        // picked again if something else took it in between (another process, an outgoing connection).
        for (var attempt = 1; ; attempt++)
        {
            var port = o.Port == 0 ? FreePort(address) : o.Port;
            _server = Create(address, port);
            try
            {
                await _server.StartAsync();
                endpoint.Set(address.ToString(), port, useTls: false);
                LogStarted(logger, address.ToString(), port);
                return;
            }
            catch (SocketException e) when (o.Port == 0 && attempt < 5 && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                _server.Dispose();
            }
        }
    }

    private MqttServer Create(IPAddress address, int port)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(serverOptions);
        server.ValidatingConnectionAsync += ValidateConnection;
        server.InterceptingPublishAsync += InterceptPublish;
        server.InterceptingSubscriptionAsync += InterceptSubscription;
        server.LoadingRetainedMessageAsync += LoadRetained;
        return server;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            try
            {
                await _server.StopAsync(new MqttServerStopOptions());
            }
            catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or ObjectDisposedException)
            {
                // MQTTnet 5.2 can trip over a client that disconnects while it closes the sessions, and over
                // its own listener cleanup (an NRE in MqttTcpServerAdapter.Cleanup, seen in CI); the listener
                // is down either way, and stopping must not fail the host's shutdown.
                LogStopRace(logger, ex.Message);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the sessions of an agent whose credentials were withdrawn.</summary>
    public async Task DisconnectAgentAsync(string agentId)
    {
        if (_server is not { IsStarted: true })
        {
            return;
        }
        foreach (var client in await _server.GetClientsAsync())
        {
            if (TopicAcl.IsAgentClientId(agentId, client.Id))
            {
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
            }
        }
    }

    /// <summary>Port 0: ask the kernel for a free port, then listen there (MQTTnet does not expose its bound port).</summary>
    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private Task ValidateConnection(ValidatingConnectionEventArgs e)
    {
        if (e.UserName == credential.Username)
        {
            var ok = credential.Matches(e.Password);
            e.ReasonCode = ok ? MqttConnectReasonCode.Success : MqttConnectReasonCode.BadUserNameOrPassword;
            e.SessionItems[ControllerItem] = ok;
        }
        else if (e.UserName is { } agentId && Topics.IsValidAgentId(agentId) && directory.VerifyPassword(agentId, e.Password))
        {
            e.ReasonCode = TopicAcl.IsAgentClientId(agentId, e.ClientId)
                ? MqttConnectReasonCode.Success
                : MqttConnectReasonCode.ClientIdentifierNotValid;
            e.SessionItems[AgentItem] = agentId;
        }
        else
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
        }
        if (e.ReasonCode != MqttConnectReasonCode.Success)
        {
            LogRefusedConnection(logger, e.ClientId, e.UserName, e.ReasonCode);
        }
        return Task.CompletedTask;
    }

    private Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        var allowed = e.SessionItems[ControllerItem] is true
            ? TopicAcl.ControllerMayPublish(topic)
            : e.SessionItems[AgentItem] is string agentId && TopicAcl.AgentMayPublish(agentId, topic);
        if (!allowed)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            LogRefusedPublish(logger, e.ClientId, topic);
        }
        return Task.CompletedTask;
    }

    private Task InterceptSubscription(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var allowed = e.SessionItems[ControllerItem] is true
            ? TopicAcl.ControllerMaySubscribe(filter)
            : e.SessionItems[AgentItem] is string agentId && TopicAcl.AgentMaySubscribe(agentId, filter);
        if (!allowed)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            LogRefusedSubscription(logger, e.ClientId, filter);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The broker keeps retained messages in memory only: reload each agent's last desired document
    /// from the database so an agent that connects after a controller restart still receives it.
    /// </summary>
    private async Task LoadRetained(LoadingRetainedMessagesEventArgs e)
    {
        foreach (var row in await store.AllAsync(CancellationToken.None))
        {
            if (row.Deleted == 0 && row.DesiredJson is { } json)
            {
                e.LoadedRetainedMessages.Add(new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Desired(row.AgentId))
                    .WithPayload(Encoding.UTF8.GetBytes(json))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainFlag()
                    .Build());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on {Address}:{Port}")]
    private static partial void LogStarted(ILogger logger, string address, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker stopped while clients were leaving: {Detail}")]
    private static partial void LogStopRace(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused MQTT connection of client {ClientId} (user {UserName}): {ReasonCode}")]
    private static partial void LogRefusedConnection(ILogger logger, string clientId, string? userName, MqttConnectReasonCode reasonCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused publish of client {ClientId} to {Topic}")]
    private static partial void LogRefusedPublish(ILogger logger, string clientId, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused subscription of client {ClientId} to {TopicFilter}")]
    private static partial void LogRefusedSubscription(ILogger logger, string clientId, string topicFilter);
}
