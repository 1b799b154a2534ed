using System.Diagnostics;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>
/// The measurement benchmark's namespaces (block 10.213.244.0/24, names <c>cqx-mbn-*</c>): two LAN clients
/// on a bridge in a gateway, one WAN server. Packets are captured on the gateway's <c>br0</c>, the point
/// where the agent sees the devices. Client 2 sends no TCP timestamps (its namespace's
/// net.ipv4.tcp_timestamps=0), so its flows take the SEQ/ACK path. Offloads are off on every veth so the
/// capture holds real 1,500-byte packets, as on a gateway's wire.
/// <code>
///   [c1] eth0 .10 ─ lan-c1 ┐
///                          br0 .1/25 [gw] wan0 .129/25 ─ eth0 .130 [srv]
///   [c2] eth0 .11 ─ lan-c2 ┘
/// </code>
/// </summary>
internal sealed class MeasureLab : IAsyncDisposable
{
    public const string Gateway = "cqx-mbn-gw";
    public const string Client1 = "cqx-mbn-c1";
    public const string Client2 = "cqx-mbn-c2";
    public const string Server = "cqx-mbn-srv";
    public const string ServerAddress = "10.213.244.130";
    public const string LanPrefix = "10.213.244.0/25";
    private static readonly string[] Namespaces = [Gateway, Client1, Client2, Server];
    private readonly List<LabProcess> processes = [];

    private MeasureLab()
    {
    }

    public static async Task<MeasureLab> UpAsync()
    {
        await DeleteNamespacesAsync();
        var lab = new MeasureLab();
        try
        {
            foreach (var ns in Namespaces)
            {
                await Run("ip", "netns", "add", ns);
                await Run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            await Link("lan-c1", Client1, "10.213.244.10/25", "10.213.244.1");
            await Link("lan-c2", Client2, "10.213.244.11/25", "10.213.244.1");
            await Link("wan0", Server, ServerAddress + "/25", "10.213.244.129");
            await Run("ip", "-n", Gateway, "link", "add", "br0", "type", "bridge");
            await Run("ip", "-n", Gateway, "link", "set", "lan-c1", "master", "br0");
            await Run("ip", "-n", Gateway, "link", "set", "lan-c2", "master", "br0");
            await Run("ip", "-n", Gateway, "link", "set", "br0", "up");
            await Run("ip", "-n", Gateway, "addr", "add", "10.213.244.1/25", "dev", "br0");
            await Run("ip", "-n", Gateway, "addr", "add", "10.213.244.129/25", "dev", "wan0");
            await Run("ip", "netns", "exec", Gateway, "sysctl", "-qw", "net.ipv4.ip_forward=1");
            await Run("ip", "netns", "exec", Client2, "sysctl", "-qw", "net.ipv4.tcp_timestamps=0");
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>A veth from the gateway (<paramref name="gatewaySide"/>) to <paramref name="ns"/>'s eth0, offloads off.</summary>
    private static async Task Link(string gatewaySide, string ns, string address, string via)
    {
        await Run("ip", "link", "add", gatewaySide, "netns", Gateway, "type", "veth", "peer", "name", "eth0", "netns", ns);
        foreach (var (n, dev) in new[] { (Gateway, gatewaySide), (ns, "eth0") })
        {
            await Run("ip", "netns", "exec", n, "ethtool", "-K", dev, "tso", "off", "gso", "off", "gro", "off");
            await Run("ip", "-n", n, "link", "set", dev, "up");
        }
        await Run("ip", "-n", ns, "addr", "add", address, "dev", "eth0");
        await Run("ip", "-n", ns, "route", "add", "default", "via", via);
    }

    /// <summary>HTB at <paramref name="mbit"/> with a bfifo of about 10 ms on a gateway egress: real queueing delay and drops.</summary>
    public static Task Bottleneck(string dev, int mbit) => RunAll(
        ["tc", "-n", Gateway, "qdisc", "replace", "dev", dev, "root", "handle", "1:", "htb", "default", "10"],
        ["tc", "-n", Gateway, "class", "add", "dev", dev, "parent", "1:", "classid", "1:10", "htb", "rate", $"{mbit}mbit", "ceil", $"{mbit}mbit"],
        ["tc", "-n", Gateway, "qdisc", "add", "dev", dev, "parent", "1:10", "handle", "10:", "bfifo", "limit", $"{mbit * 1250}"]);

    public static Task NoBottleneck(string dev) => Run("tc", "-n", Gateway, "qdisc", "del", "dev", dev, "root");

    /// <summary>Starts a long-running program in a namespace; it is killed (by its own id) when the lab goes down.</summary>
    public LabProcess Start(string ns, params string[] args)
    {
        var process = LabProcess.Start("ip", ["netns", "exec", ns, .. args]);
        processes.Add(process);
        return process;
    }

    /// <summary>iperf3 servers on <paramref name="ports"/>, awaited until each listens (bounded).</summary>
    public async Task IperfServersAsync(params int[] ports)
    {
        foreach (var port in ports)
        {
            Start(Server, "iperf3", "-s", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var listening = (await Command.RunAsync("ip", ["netns", "exec", Server, "ss", "-Hltn"])).Stdout;
            if (ports.All(p => listening.Contains($":{p} ", StringComparison.Ordinal)))
            {
                return;
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException("iperf3 servers did not listen within 10 s");
            }
            await Task.Delay(50);
        }
    }

    public static async Task Run(string file, params string[] args) => (await Command.RunAsync(file, args)).EnsureSuccess(file + " " + string.Join(' ', args));

    private static async Task RunAll(params string[][] commands)
    {
        foreach (var command in commands)
        {
            await Run(command[0], command[1..]);
        }
    }

    private static async Task DeleteNamespacesAsync()
    {
        foreach (var ns in Namespaces)
        {
            await Command.RunAsync("ip", ["netns", "del", ns]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
        processes.Clear();
        await DeleteNamespacesAsync();
    }
}
