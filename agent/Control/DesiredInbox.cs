using System.Threading.Channels;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Desired documents waiting for the enforcer. Each one is the whole state (never a delta), so only the
/// newest matters: a full inbox drops the older document.
/// </summary>
public sealed class DesiredInbox
{
    private readonly Channel<byte[]> _channel = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Post(byte[] payload) => _channel.Writer.TryWrite(payload);

    public ChannelReader<byte[]> Reader => _channel.Reader;
}
