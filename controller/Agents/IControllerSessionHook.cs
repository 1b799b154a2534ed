using MQTTnet;

namespace CamaraQos.Controller.Agents;

/// <summary>Something that shares the controller's MQTT session: set up after each connect, and offered every message first.</summary>
public interface IControllerSessionHook
{
    /// <summary>Runs after each connection, before the agent subscriptions; an exception fails the attempt (retried with backoff).</summary>
    Task OnConnectedAsync(IMqttClient client, CancellationToken ct);

    /// <summary>True when the message was the hook's (it does not reach the agent message handler).</summary>
    bool TryHandle(MqttApplicationMessage message);
}
