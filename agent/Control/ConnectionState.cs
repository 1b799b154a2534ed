namespace CamaraQos.Agent.Control;

/// <summary>
/// The control channel's connection states (obuspa-style: every transition is logged with its reason).
/// Disconnected → Connecting → Connected → Disconnected → Backoff → Connecting ...
/// </summary>
public enum ConnectionState
{
    Disconnected,
    Connecting,
    Connected,
    Backoff,
    Stopped,
}
