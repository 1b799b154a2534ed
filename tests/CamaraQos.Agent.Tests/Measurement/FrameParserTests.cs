using System.Net;
using CamaraQos.Agent.Measurement;
using PacketDotNet;
using PacketDotNet.Tcp;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

public class FrameParserTests
{
    [Fact]
    public void ATimestampedSegmentBuiltWithPacketDotNetParsesToTheSameFields()
    {
        var frame = Frames.Up(seq: 1000, ack: 77, payload: 100, ts: (123456, 654321));

        Assert.True(FrameParser.TryParse(frame, LinkLayer.Ethernet, out var segment));

        var reference = (TcpPacket)((EthernetPacket)Packet.ParsePacket(LinkLayers.Ethernet, frame)).PayloadPacket.PayloadPacket;
        var option = Assert.Single(reference.OptionsCollection.OfType<TimeStampOption>());
        Assert.Equal((option.Value, option.EchoReply), (segment.TsVal, segment.TsEcr));
        Assert.Equal((123456u, 654321u), (segment.TsVal, segment.TsEcr));
        Assert.Equal(IpPrefix.ToUInt128(Frames.Device), segment.Source);
        Assert.Equal(IpPrefix.ToUInt128(Frames.Server), segment.Destination);
        Assert.Equal((Frames.DevicePort, Frames.ServerPort), (segment.SourcePort, segment.DestinationPort));
        Assert.Equal((1000u, 77u, 100, 1100u), (segment.Sequence, segment.Acknowledgment, segment.PayloadLength, segment.SequenceEnd));
        Assert.Equal(20 + 32 + 100, segment.IpLength);
    }

    [Fact]
    public void ASegmentWithoutOptionsHasNoTimestamp()
    {
        Assert.True(FrameParser.TryParse(Frames.Down(seq: 5, ack: 6), LinkLayer.Ethernet, out var segment));

        Assert.False(segment.HasTimestamp);
        Assert.Equal(0, segment.PayloadLength);
        Assert.True(segment.IsAck);
    }

    [Fact]
    public void UdpAndTruncatedFramesAreNotTcpSegments()
    {
        var udp = new EthernetPacket(
            System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-01"),
            System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-02"), EthernetType.IPv4)
        {
            PayloadPacket = new IPv4Packet(IPAddress.Loopback, IPAddress.Loopback) { PayloadPacket = new UdpPacket(1, 2) },
        };
        udp.UpdateCalculatedValues();
        var tcp = Frames.Up(1, 1, payload: 10);

        Assert.False(FrameParser.TryParse(udp.Bytes, LinkLayer.Ethernet, out _));
        Assert.False(FrameParser.TryParse(tcp.AsSpan(0, 14 + 20 + 10), LinkLayer.Ethernet, out _));
        Assert.True(FrameParser.TryParse(tcp.AsSpan(0, 14 + 20 + 20), LinkLayer.Ethernet, out _));
    }
}
