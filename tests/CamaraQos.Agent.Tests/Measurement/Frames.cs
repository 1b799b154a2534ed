using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Utils;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>Ethernet/IPv4/TCP frames built with PacketDotNet, timestamps as RFC 7323 lays them out.</summary>
internal static class Frames
{
    public static readonly IPAddress Device = IPAddress.Parse("192.168.1.10");
    public static readonly IPAddress Server = IPAddress.Parse("203.0.113.5");
    public const ushort DevicePort = 50000;
    public const ushort ServerPort = 443;

    public static long Ms(double ms) => (long)(ms * TimeSpan.TicksPerMillisecond);

    public static byte[] Up(uint seq, uint ack, int payload = 0, (uint Val, uint Ecr)? ts = null, bool syn = false) =>
        Tcp(Device, DevicePort, Server, ServerPort, seq, ack, payload, ts, syn, ackFlag: !syn);

    public static byte[] Down(uint seq, uint ack, int payload = 0, (uint Val, uint Ecr)? ts = null) =>
        Tcp(Server, ServerPort, Device, DevicePort, seq, ack, payload, ts, syn: false, ackFlag: true);

    public static byte[] Tcp(IPAddress from, ushort fromPort, IPAddress to, ushort toPort, uint seq, uint ack,
        int payload, (uint Val, uint Ecr)? ts, bool syn = false, bool ackFlag = true)
    {
        // TcpPacket.Options copies into the header it has (PacketDotNet 1.4.8), so size the header first.
        var header = new byte[ts is null ? 20 : 32];
        header[12] = (byte)(header.Length / 4 << 4);
        var tcp = new TcpPacket(new ByteArraySegment(header))
        {
            SourcePort = fromPort,
            DestinationPort = toPort,
            SequenceNumber = seq,
            AcknowledgmentNumber = ack,
            Synchronize = syn,
            Acknowledgment = ackFlag,
            WindowSize = 65535,
        };
        if (ts is { } t)
        {
            // NOP, NOP, kind 8, length 10, TSval, TSecr (RFC 7323 Appendix A layout).
            var options = new byte[12];
            options[0] = 1;
            options[1] = 1;
            options[2] = 8;
            options[3] = 10;
            BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(4), t.Val);
            BinaryPrimitives.WriteUInt32BigEndian(options.AsSpan(8), t.Ecr);
            tcp.Options = options;
        }
        tcp.PayloadData = new byte[payload];
        var ip = new IPv4Packet(from, to) { PayloadPacket = tcp, TimeToLive = 64 };
        var ethernet = new EthernetPacket(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"), EthernetType.IPv4)
        {
            PayloadPacket = ip,
        };
        ethernet.UpdateCalculatedValues();
        return ethernet.Bytes;
    }
}
