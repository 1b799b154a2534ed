namespace CamaraQos.Agent.Control;

/// <summary>
/// The telemetry report waiting for the control channel. Telemetry is QoS 0 and each report covers its
/// own interval (docs/ARCHITECTURE.md §4), so only the newest is kept: while the broker is unreachable older
/// reports are dropped, not queued without bound.
/// </summary>
public sealed class TelemetryOutbox
{
    private byte[]? _pending;

    /// <summary>Raised after every <see cref="Post"/>, so the publisher wakes.</summary>
    public event Action? Posted;

    public void Post(byte[] payload)
    {
        Volatile.Write(ref _pending, payload);
        Posted?.Invoke();
    }

    public byte[]? Take() => Interlocked.Exchange(ref _pending, null);
}
