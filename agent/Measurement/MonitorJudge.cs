using System.Net;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Verdicts for the monitors of the latest desired document (issue 4), drawn by the shared
/// <see cref="QualityJudge"/> so agent and controller say the same about the same numbers. A monitor is
/// judged on every flow it names folded together: one (device, server, port) flow when it names both,
/// all the device's flows to that server (or on that port) when it names one, the device aggregate when
/// it names neither. No matching traffic gives <see cref="Verdict.Unknown"/> for each threshold asked.
/// </summary>
internal static class MonitorJudge
{
    public static List<MonitorVerdict> Judge(IReadOnlyList<FlowMonitor> monitors,
        Dictionary<(UInt128 Device, UInt128 Server, ushort Port), FlowGroup> flows, double seconds)
    {
        var verdicts = new List<MonitorVerdict>(monitors.Count);
        foreach (var monitor in monitors)
        {
            var evidence = Evidence(monitor, flows);
            verdicts.Add(QualityJudge.Judge(monitor.Id, monitor.Thresholds, evidence?.ToMeasured(seconds)));
        }
        return verdicts;
    }

    private static FlowGroup? Evidence(FlowMonitor monitor, Dictionary<(UInt128 Device, UInt128 Server, ushort Port), FlowGroup> flows)
    {
        if (!TryAddress(monitor.DeviceIp, out var device))
        {
            return null;
        }
        // The application server may be a prefix (CAMARA ApplicationServer allows address/mask).
        IpPrefix? server = null;
        if (monitor.ServerIp is { Length: > 0 } text)
        {
            if (IpPrefix.TryParse(text, out var prefix))
            {
                server = prefix;
            }
            else if (TryAddress(text, out var host))
            {
                server = new IpPrefix(host, 128);
            }
            else
            {
                return null;
            }
        }
        FlowGroup? evidence = null;
        foreach (var (id, group) in flows)
        {
            if (id.Device == device && (server is not { } s || s.Contains(id.Server)) && (monitor.ServerPort is null || id.Port == monitor.ServerPort))
            {
                (evidence ??= new FlowGroup()).Add(group);
            }
        }
        return evidence;
    }

    /// <summary>The engine's 128-bit form; an address that does not parse matches nothing.</summary>
    private static bool TryAddress(string text, out UInt128 address)
    {
        var ok = IPAddress.TryParse(text, out var ip);
        address = ok ? IpPrefix.ToUInt128(ip!) : UInt128.Zero;
        return ok;
    }
}
