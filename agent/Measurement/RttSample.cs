using System.Globalization;

namespace CamaraQos.Agent.Measurement;

/// <summary>One RTT measurement, handed to an optional observer (the pcap mode prints them).</summary>
public readonly record struct RttSample(long TimestampTicks, FlowKey Flow, bool DeviceIsLow, RttHalf Half, RttMethod Method, long RttTicks)
{
    public double RttMs => RttTicks / (double)TimeSpan.TicksPerMillisecond;

    /// <summary>"device:port server:port half method ms", one line (not on the hot path: it allocates).</summary>
    public override string ToString()
    {
        var (device, devicePort, server, serverPort) = DeviceIsLow
            ? (Flow.LowAddress, Flow.LowPort, Flow.HighAddress, Flow.HighPort)
            : (Flow.HighAddress, Flow.HighPort, Flow.LowAddress, Flow.LowPort);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Endpoint(device, devicePort)} {Endpoint(server, serverPort)} {Half.ToString().ToUpperInvariant()} {(Method == RttMethod.Timestamp ? "ts" : "seq")} {RttMs:0.000}");
    }

    internal static string Endpoint(UInt128 address, ushort port)
    {
        var ip = IpPrefix.ToAddress(address);
        return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }
}
