using CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Tests.Control;
using Xunit;
using static CamaraQos.Agent.Tests.Measurement.Frames;

namespace CamaraQos.Agent.Tests.Measurement;

public sealed class PcapReplayTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("cqc-pcap-");

    private static long At(double ms) => Ms(1_000_000_000 + ms);

    private string Capture() => WriteCapture(directory.FullName);

    /// <summary>Three RTT samples (two by timestamps, one by SEQ/ACK) on two flows; also replayed on arm64.</summary>
    internal static string WriteCapture(string directory)
    {
        var path = Path.Combine(directory, "flow.pcap");
        PcapWriter.Write(path,
        [
            (At(0), Up(1000, 5000, payload: 100, ts: (100, 900))),
            (At(30), Down(5000, 1100, payload: 200, ts: (901, 100))),
            (At(32.5), Up(1100, 5200, ts: (101, 901))),
            (At(40), Tcp(Device, 50001, Server, 80, 7, 9, 50, null)),
            (At(65), Tcp(Server, 80, Device, 50001, 9, 57, 0, null)),
        ]);
        return path;
    }

    [Fact]
    public void ReplayingAPcapPrintsEverySampleEachFlowAndAPacketRate()
    {
        var (output, error) = (new StringWriter(), new StringWriter());

        var code = PcapReplay.Run(Capture(), ["192.168.1.0/24"], output, error);

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "rtt 0.030000 192.168.1.10:50000 203.0.113.5:443 WAN ts 30.000",
            "rtt 0.032500 192.168.1.10:50000 203.0.113.5:443 LAN ts 2.500",
            "rtt 0.065000 192.168.1.10:50001 203.0.113.5:80 WAN seq 25.000",
        ], lines.Where(l => l.StartsWith("rtt ", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("flow 192.168.1.10 203.0.113.5:443 ", StringComparison.Ordinal) && l.Contains("retransmissions=0 up=2/", StringComparison.Ordinal));
        Assert.Matches(@"^packets 5 ignored 0 samples 3 in \d+\.\d{3} s, cpu \d+\.\d{3} s: \d+ packets/s, \d+ per cpu second$", lines[^1]);
        Assert.Empty(error.ToString());
    }

    [Theory]
    [InlineData("not-a-prefix", "--lan-prefix 'not-a-prefix' is not a CIDR prefix")]
    [InlineData(null, "cannot read")]
    public void ABadPrefixOrFileEndsWithOneLineAndExitCode2(string? prefix, string message)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var path = Path.Combine(directory.FullName, "garbage.pcap");
        File.WriteAllText(path, "this is not a capture file at all");

        var code = PcapReplay.Run(path, prefix is null ? [] : [prefix], output, error);

        Assert.Equal(2, code);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task TheAgentBinaryReadsAPcapFileWithReadPcap()
    {
        var run = await Command.RunAsync(AgentBinary.Path, ["--read-pcap", Capture(), "--lan-prefix", "192.168.1.0/24"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("rtt 0.030000 192.168.1.10:50000 203.0.113.5:443 WAN ts 30.000", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("packets/s", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Delete(recursive: true);
}
