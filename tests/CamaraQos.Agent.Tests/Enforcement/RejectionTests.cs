using System.Text;
using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class RejectionTests
{
    private static readonly Policy Tcp = Documents.TcpFlow();

    public static TheoryData<string, string, string> BadDocuments() => new()
    {
        { "malformed JSON", "{\"schemaVersion\":1,\"generation\":", "malformed JSON" },
        { "unknown schema version", Json(Documents.Realistic(9) with { SchemaVersion = 2 }), "unknown schema version 2" },
        { "invalid IP", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { DeviceIp = "192.168.1.300" } })), "invalid deviceIp '192.168.1.300'" },
        { "legacy IPv4 form", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { DeviceIp = "10" } })), "invalid deviceIp '10'" },
        { "server host bits", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { ServerIps = ["203.0.113.5/24"] } })), "invalid serverIp" },
        { "no server of the device family", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { ServerIps = ["2001:db8::1"] } })), "no serverIps of the address family" },
        { "invalid server in list", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { ServerIps = ["203.0.113.0/24", "server.example"] } })), "invalid serverIp 'server.example'" },
        { "port 70000", Json(Documents.State(9, Tcp with { Match = Tcp.Match with { ServerPorts = [new PortRange(443, 443), new PortRange(443, 70000)] } })), "serverPorts 443-70000" },
        { "dscp 64", Json(Documents.State(9, Tcp with { Dscp = 64 })), "dscp 64 outside 0-63" },
        { "Wi-Fi UP 8", Json(Documents.State(9, Documents.HomeTv() with { WifiUserPriority = 8 })), "wifiUserPriority 8" },
        { "duplicate ids", Json(Documents.State(9, Tcp, Tcp)), "duplicate policy id qod-tcp" },
        { "older generation", Json(Documents.Realistic(4)), "generation 4 older than applied 5" },
        { "too large", Json(Documents.Realistic(9)) + new string(' ', 64 * 1024), "exceeds the limit of 65536" },
        { "too many policies", Json(Documents.State(9, [.. Enumerable.Range(0, 11).Select(i => Tcp with { Id = $"p{i}" })])), "11 policies exceed the limit of 10" },
        { "unknown enum", Json(Documents.Realistic(9)).Replace("\"Priority\"", "\"Platinum\"", StringComparison.Ordinal), "malformed JSON" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task BadDocumentIsRejectedWithReasonAndPreviousStateKept(string why, string payload, string reason)
    {
        using var h = new Harness();
        var good = Documents.Json(Documents.Realistic(5));
        var first = await h.Enforcer.SubmitAsync(good, TestContext.Current.CancellationToken);
        h.Runner.Drain();
        ReportedState? raised = null;
        h.Enforcer.Reported += r => raised = r;

        var outcome = await h.Enforcer.SubmitAsync(Encoding.UTF8.GetBytes(payload), TestContext.Current.CancellationToken);

        Assert.False(outcome.KernelChanged, why);
        Assert.Contains(reason, outcome.Report.LastRejection?.Reason, StringComparison.Ordinal);
        Assert.Equal(5, outcome.Report.ObservedGeneration);
        Assert.Equal(first.Report.Policies, outcome.Report.Policies);
        Assert.Equal(first.Report.KernelHash, outcome.Report.KernelHash);
        Assert.Same(outcome.Report, raised);
        Assert.Empty(h.Runner.Drain());
        Assert.Equal(good, await File.ReadAllBytesAsync(Path.Combine(h.Options.StateDirectory, "desired.json"), TestContext.Current.CancellationToken));
    }

    private static string Json(DesiredState s) => Encoding.UTF8.GetString(Documents.Json(s));
}
