using System.Text;
using System.Text.Json;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>A realistic desired document: two QoD flows (TCP with port ranges, UDP over IPv6) and a Home device.</summary>
internal static class Documents
{
    public static readonly DateTimeOffset Issued = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static Policy TcpFlow(int guaranteedUp = 2000) => new("qod-tcp", PolicyKind.Flow,
        new FlowMatch("192.168.1.10", null, ["203.0.113.0/24", "2001:db8:ff::/48"], [new PortRange(1000, 2000)], [new PortRange(443, 443)], FlowProtocol.Tcp),
        Directions.Both, Dscp.EF, TrafficClass.Priority, guaranteedUp, 5000, null, null, null, Issued.AddHours(1));

    public static Policy UdpFlowV6() => new("qod-udp6", PolicyKind.Flow,
        new FlowMatch("2001:db8:1::10", null, ["2001:db8:ff::5"], null, [new PortRange(3478, 3480)], FlowProtocol.Udp),
        Directions.Both, Dscp.AF41, TrafficClass.Priority, 500, 1000, null, null, null, Issued.AddHours(2));

    public static Policy HomeTv() => new("home-tv", PolicyKind.HomeDevice,
        new FlowMatch("192.168.1.11", "02:00:00:00:01:11", null, null, null, FlowProtocol.Any),
        Directions.Downstream, Dscp.CS4, TrafficClass.Priority, null, 3000, null, null, 4, null);

    public static DesiredState State(long generation, params Policy[] policies) =>
        new(Contract.SchemaVersion, generation, Issued, policies, []);

    public static DesiredState Realistic(long generation) => State(generation, TcpFlow(), UdpFlowV6(), HomeTv());

    public static byte[] Json(DesiredState s) => JsonSerializer.SerializeToUtf8Bytes(s, ContractJson.Default.DesiredState);

    public static byte[] Text(string s) => Encoding.UTF8.GetBytes(s);

    public static EnforcementOptions Options(string? stateDirectory = null, string wan = "wan0", string lan = "lan0") => new()
    {
        WanInterface = wan,
        LanInterfaces = [lan],
        UplinkKbps = 10_000,
        DownlinkKbps = 50_000,
        StateDirectory = stateDirectory ?? Path.Combine(Path.GetTempPath(), "cqe-state-" + Guid.NewGuid().ToString("N")),
        MaxDocumentBytes = 64 * 1024,
        MaxPolicies = 10,
    };
}
