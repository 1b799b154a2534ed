using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CamaraQos.Agent.Enforcement;

/// <summary>Applies the difference between two kernel models, reads back, and removes our state.</summary>
internal sealed partial class KernelApplier(ICommandRunner runner, EnforcementOptions options)
{
    /// <summary>Kernel-assigned handles and traffic counters differ between identical states; hash without them.</summary>
    [GeneratedRegex("\"handle\": \\d+|direct_packets_stat \\d+")]
    private static partial Regex Volatile();

    private IEnumerable<string> Devices => options.LanInterfaces.Prepend(options.WanInterface);

    /// <summary>Returns (kernel changed, error). The nft script is one transaction; tc objects go as one batch.</summary>
    public async Task<(bool Changed, string? Error)> ApplyAsync(KernelModel desired, KernelModel? applied, CancellationToken ct)
    {
        var changed = false;
        if (desired.NftChangedFrom(applied))
        {
            var r = await runner.RunAsync("nft", ["-f", "-"], desired.NftScript, ct);
            if (!r.Ok)
            {
                return (false, r.Describe("nft"));
            }
            changed = true;
        }
        var tc = desired.TcChangesFrom(applied);
        if (applied is null)
        {
            tc = await WithoutHeldRootsAsync(tc, ct);
        }
        if (tc.Count > 0)
        {
            // tc(8) -batch: one process, stops at the first failing line.
            var batch = string.Join('\n', tc.Select(c => c.Line)) + "\n";
            var r = await runner.RunAsync("tc", ["-batch", "-"], batch, ct);
            if (!r.Ok)
            {
                return (true, r.Describe("tc"));
            }
            changed = true;
        }
        return (changed, null);
    }

    /// <summary>
    /// With nothing known (a new process), every object is sent, but HTB has no change operation: "replace" of
    /// an existing HTB root fails ("Change operation not supported by specified qdisc", qdisc_change in
    /// net/sched/sch_api.c) and the batch stops there. A root that is already ours, with our only root
    /// parameter, is kept; its classes and leaves are replaced as usual.
    /// </summary>
    private async Task<IReadOnlyList<TcCommand>> WithoutHeldRootsAsync(IReadOnlyList<TcCommand> tc, CancellationToken ct)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in Devices)
        {
            var q = await runner.RunAsync("tc", ["qdisc", "show", "dev", d, "root"], null, ct);
            if (q.Ok && q.StdOut.StartsWith("qdisc htb 1: root", StringComparison.Ordinal)
                && q.StdOut.Contains($" default 0x{HtbClass.Default:x} ", StringComparison.Ordinal))
            {
                held.Add($"{d} qdisc root");
            }
        }
        return held.Count == 0 ? tc : [.. tc.Where(c => !held.Contains(c.Key))];
    }

    /// <summary>SHA-256 over what the kernel holds of ours (nft table as JSON, tc classes and qdiscs).</summary>
    public async Task<string> HashAsync(CancellationToken ct)
    {
        var sb = new StringBuilder();
        var nft = await runner.RunAsync("nft", ["-j", "list", "table", "inet", NftRenderer.Table], null, ct);
        sb.Append(nft.Ok ? nft.StdOut : "no-table").Append('\n');
        foreach (var d in Devices)
        {
            sb.Append((await runner.RunAsync("tc", ["class", "show", "dev", d], null, ct)).StdOut);
            sb.Append((await runner.RunAsync("tc", ["qdisc", "show", "dev", d], null, ct)).StdOut);
        }
        var text = Volatile().Replace(sb.ToString(), "");
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Deletes our table (add+delete never fails) and our HTB roots; other tables and qdiscs stay.</summary>
    public async Task CleanupAsync(CancellationToken ct)
    {
        var t = NftRenderer.Table;
        await runner.RunAsync("nft", ["-f", "-"], $"add table inet {t}\ndelete table inet {t}\n", ct);
        foreach (var d in Devices)
        {
            var q = await runner.RunAsync("tc", ["qdisc", "show", "dev", d, "root"], null, ct);
            if (q.Ok && q.StdOut.StartsWith("qdisc htb 1: root", StringComparison.Ordinal))
            {
                await runner.RunAsync("tc", ["qdisc", "del", "dev", d, "root"], null, ct);
            }
        }
    }
}
