using System.Net;
using CamaraQos.Agent.Measurement;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// One TCP connection through the engine as request/response rounds with timestamps: each round is a
/// device data segment, the server's reply echoing it after the WAN RTT and the device's ACK echoing the
/// reply after the LAN RTT, so every round gives one sample of each half.
/// </summary>
internal sealed class Conversation(MeasurementEngine engine, IPAddress device, ushort devicePort, IPAddress server, ushort serverPort)
{
    private uint _deviceSeq = 1000, _serverSeq = 9000, _tsVal = 100;

    public IPAddress Device { get; } = device;

    /// <summary>Rounds starting at <paramref name="startMs"/>, 100 ms apart, <paramref name="payload"/> bytes each way.</summary>
    public Conversation Rounds(int count, double wanMs, double lanMs, double startMs = 0, int payload = 100,
        CaptureSide side = CaptureSide.Single, IPAddress? deviceOnWire = null)
    {
        var from = deviceOnWire ?? Device;
        for (var i = 0; i < count; i++)
        {
            var t = startMs + i * 100;
            var (deviceTs, serverTs) = (_tsVal++, _tsVal++);
            engine.OnPacket(Tcp(from, devicePort, server, serverPort, _deviceSeq, _serverSeq, payload, (deviceTs, serverTs - 2)), Ms(t), side);
            _deviceSeq += (uint)payload;
            engine.OnPacket(Tcp(server, serverPort, from, devicePort, _serverSeq, _deviceSeq, payload, (serverTs, deviceTs)), Ms(t + wanMs), side);
            _serverSeq += (uint)payload;
            engine.OnPacket(Tcp(from, devicePort, server, serverPort, _deviceSeq, _serverSeq, 0, (deviceTs + 1000, serverTs)), Ms(t + wanMs + lanMs), side);
        }
        return this;
    }

    /// <summary>The same data segment once more (a retransmission: counted as loss, not as goodput).</summary>
    public Conversation Retransmit(double atMs, int payload = 100, CaptureSide side = CaptureSide.Single)
    {
        engine.OnPacket(Tcp(Device, devicePort, server, serverPort, _deviceSeq - (uint)payload, _serverSeq, payload, null), Ms(atMs), side);
        return this;
    }
}
