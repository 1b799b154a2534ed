using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace CamaraQos.Agent.Control;

public sealed partial class ControlChannel
{
    private void Transition(ConnectionState to, string reason)
    {
        var from = _state;
        _state = to;
        ControlLog.Transition(log, from, to, reason);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic != _desiredTopic)
        {
            return Task.CompletedTask;
        }
        var payload = e.ApplicationMessage.Payload;
        if (payload.IsEmpty)
        {
            ControlLog.DesiredEmpty(log);
            return Task.CompletedTask;
        }
        ControlLog.DesiredReceived(log, (int)payload.Length, e.ApplicationMessage.Retain);
        inbox.Post(System.Buffers.BuffersExtensions.ToArray(payload));
        return Task.CompletedTask;
    }

    private void OnReported(ReportedState report)
    {
        _report = report;
        Interlocked.Exchange(ref _reportPending, 1);
        Wake();
    }

    private void OnNetworkChanged(NetworkSnapshot snapshot)
    {
        Interlocked.Exchange(ref _statusPending, 1);
        Wake();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the publisher will see every pending flag.
        }
    }

    private async Task<AgentCapabilities?> ProbeAsync(CancellationToken ct)
    {
        // Bounded like the enforcer's probe: a hung probe process must not keep the agent from its broker.
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            return await probe.ProbeAsync(giveUp.Token).WaitAsync(Enforcer.ProbeTimeout, time, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await giveUp.CancelAsync();
            ControlLog.ProbeFailed(log, e);
            return null;
        }
    }

    /// <summary>
    /// Leaving on purpose (service stop): publish the offline status (the will's content, same epoch) then
    /// DISCONNECT normally. Publishing it ourselves works with every broker; reason 0x04 "Disconnect with
    /// Will Message" (MQTT 5.0 §3.14.2.1) is not honoured by all of them.
    /// </summary>
    private async Task LeaveAsync(IMqttClient client)
    {
        if (client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var topic = Topics.Status(settings.AgentId);
            try
            {
                var offline = AgentMessages.Json(AgentMessages.Will(settings, boot, time.GetUtcNow()));
                await client.PublishAsync(AgentMessages.Retained(topic, offline), timeout.Token);
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
            {
                ControlLog.PublishFailed(log, topic, e.Message);
            }
        }
        Transition(ConnectionState.Stopped, "service stopping");
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
