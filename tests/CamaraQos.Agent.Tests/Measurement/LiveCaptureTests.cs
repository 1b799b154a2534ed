using System.Net;
using System.Net.Sockets;
using CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Agent.Tests.Native;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// libpcap on a real kernel: loopback inside a namespace this test creates, so no host interface is
/// touched. Linux sends TCP timestamps by default (net.ipv4.tcp_timestamps=1), so echoes are matched.
/// TSval ticks in milliseconds and loopback rounds take microseconds, so (as with pping) one TSval, hence
/// one sample, covers many rounds: the handshake alone guarantees one sample per half.
/// </summary>
public class LiveCaptureTests
{
    [Fact]
    public async Task CapturingLoopbackMeasuresARealConnectionsRttAndCounts()
    {
        Privileged.Require("Capturing with libpcap in a network namespace");
        var ns = "cqc-cap-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            (await Command.RunAsync("ip", ["netns", "add", ns])).EnsureSuccess("ip netns add");
            (await Command.RunAsync("ip", ["-n", ns, "link", "set", "lo", "up"])).EnsureSuccess("ip link set lo up");

            var (samples, flows, counters, port) = NetnsThread.Run(ns, () => Exchange(20));

            Assert.Equal(2, samples);
            var flow = Assert.Single(flows, f => f.ServerPort == port);
            Assert.Equal(("127.0.0.1", "127.0.0.1", "Tcp"), (flow.Device, flow.Server, flow.Protocol));
            Assert.NotNull(flow.WanRttMs);
            Assert.NotNull(flow.LanRttMs);
            Assert.InRange(flow.WanRttMs.Max, 0.0, 1000.0);
            Assert.InRange(flow.BytesUp, 20 * 100, long.MaxValue);
            Assert.InRange(flow.PacketsDown, 20, long.MaxValue);
            Assert.Equal(0, counters.KernelDrops);
            Assert.InRange(counters.Packets, 40, long.MaxValue);
        }
        finally
        {
            await Command.RunAsync("ip", ["netns", "del", ns]);
        }
    }

    /// <summary>Request/response rounds over loopback, each echoed, until the engine reports samples.</summary>
    private static (int Samples, IReadOnlyList<Shared.FlowAggregate> Flows, Shared.CaptureCounters Counters, int Port) Exchange(int rounds)
    {
        var sampled = new SemaphoreSlim(0);
        var engine = new MeasurementEngine(new MeasurementOptions(), _ => sampled.Release());
        using var capture = new LiveCapture(engine);
        capture.Start("lo", CaptureSide.Single);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        using var server = listener.AcceptTcpClient();
        var (request, reply) = (new byte[100], new byte[100]);
        for (var i = 0; i < rounds; i++)
        {
            client.GetStream().Write(request);
            server.GetStream().ReadExactly(reply);
            server.GetStream().Write(reply);
            client.GetStream().ReadExactly(request);
        }
        var samples = 0;
        while (samples < 2 && sampled.Wait(TimeSpan.FromSeconds(10)))
        {
            samples++;
        }
        // Delivery from libpcap is asynchronous: wait (bounded) until every round's two data segments arrived.
        SpinWait.SpinUntil(() => capture.Counters().Packets >= 3 + 2 * rounds, TimeSpan.FromSeconds(10));
        return (samples, capture.Collect(DateTimeOffset.UtcNow), capture.Counters(), port);
    }
}
