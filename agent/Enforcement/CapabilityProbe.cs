using CamaraQos.Shared;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Finds out what the kernel offers by trying it inside a throw-away network namespace (loopback of a
/// fresh namespace), so nothing on the gateway's own interfaces is touched and nothing is left behind.
/// nft statements are checked there too with <c>nft -c</c>, which validates against the kernel and commits nothing.
/// The runner must run in the gateway's own namespace (namespaces do not nest under <c>ip netns exec</c>).
/// A probe's namespace is named after its process, so one left by a process killed mid-probe (SIGKILL skips
/// the <c>finally</c>) is recognised and removed by the next probe.
/// </summary>
public sealed class CapabilityProbe(ICommandRunner runner, string namespacePrefix = "camaraqos-probe-", string netnsDirectory = "/var/run/netns")
    : ICapabilityProbe
{
    private static readonly string[] QdiscKinds = ["htb", "tbf", "bfifo", "pfifo", "fq_codel", "cake", "fq", "sfq", "prio", "netem"];

    private static readonly (string Kind, string[] Args)[] Classifiers =
    [
        ("u32", ["u32", "match", "u32", "0", "0", "flowid", "1:1"]),
        ("flower", ["flower", "classid", "1:1"]),
        ("matchall", ["matchall", "classid", "1:1"]),
        ("fw", ["fw"]),
        ("basic", ["basic", "classid", "1:1"]),
    ];

    public async Task<AgentCapabilities> ProbeAsync(CancellationToken ct)
    {
        await RemoveOrphansAsync(ct);
        var ns = namespacePrefix + Environment.ProcessId + "-" + Random.Shared.Next(100_000);
        await runner.RunAsync("ip", ["netns", "add", ns], null, ct);
        try
        {
            var qdiscs = new List<string>();
            foreach (var kind in QdiscKinds)
            {
                if ((await InNs(ns, ["qdisc", "add", "dev", "lo", "root", "handle", "1:", kind], ct)).Ok)
                {
                    qdiscs.Add(kind);
                    await InNs(ns, ["qdisc", "del", "dev", "lo", "root"], ct);
                }
            }
            await InNs(ns, ["qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb"], ct);
            var classifiers = new List<string>();
            for (var i = 0; i < Classifiers.Length; i++)
            {
                var (kind, args) = Classifiers[i];
                string[] head = ["filter", "add", "dev", "lo", "parent", "1:", "protocol", "all", "prio", $"{i + 1}"];
                if ((await InNs(ns, [.. head, .. args], ct)).Ok)
                {
                    classifiers.Add(kind);
                }
            }
            return new AgentCapabilities(qdiscs, classifiers,
                await NftAccepts(ns, "ip dscp set 46", ct), await NftAccepts(ns, "meta priority set 1:10", ct), Ipv6());
        }
        finally
        {
            await runner.RunAsync("ip", ["netns", "del", ns], null, CancellationToken.None);
        }
    }

    /// <summary>Probe namespaces (ip-netns(8) keeps them in /var/run/netns) whose process no longer exists.</summary>
    private async Task RemoveOrphansAsync(CancellationToken ct)
    {
        if (!Directory.Exists(netnsDirectory))
        {
            return;
        }
        foreach (var path in Directory.EnumerateFiles(netnsDirectory, namespacePrefix + "*"))
        {
            var name = Path.GetFileName(path);
            var pid = name[namespacePrefix.Length..].Split('-')[0];
            if (int.TryParse(pid, out var id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}"))
            {
                await runner.RunAsync("ip", ["netns", "del", name], null, ct);
            }
        }
    }

    private Task<CommandResult> InNs(string ns, string[] tcArgs, CancellationToken ct) =>
        runner.RunAsync("ip", ["netns", "exec", ns, "tc", .. tcArgs], null, ct);

    private async Task<bool> NftAccepts(string ns, string statement, CancellationToken ct)
    {
        var script = "table inet camaraqos_probe {\n\tchain c {\n\t\ttype filter hook forward priority mangle;\n\t\t"
            + statement + "\n\t}\n}\n";
        return (await runner.RunAsync("ip", ["netns", "exec", ns, "nft", "-c", "-f", "-"], script, ct)).Ok;
    }

    /// <summary>IPv6 is usable when the kernel has it and it is not disabled (ip-sysctl.rst, disable_ipv6).</summary>
    private static bool Ipv6() =>
        File.Exists("/proc/net/if_inet6")
        && (!File.Exists("/proc/sys/net/ipv6/conf/all/disable_ipv6")
            || File.ReadAllText("/proc/sys/net/ipv6/conf/all/disable_ipv6").Trim() == "0");
}
