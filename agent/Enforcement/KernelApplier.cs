using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Applies the difference between two kernel models, reads back, and removes our state. nftables goes through
/// libnftables in process; tc objects over rtnetlink in process when the trees change (one <c>tc -batch</c>
/// process only when netlink is refused: <see cref="FallbackTrafficControl"/>). Every kernel call is
/// bounded by <see cref="CallTimeout"/>: a call that does not answer is reported as an error (the policies
/// Failed, the apply retried), never a wedged agent.
/// </summary>
internal sealed partial class KernelApplier(INftables nft, ITrafficControl tc, ICommandRunner runner, EnforcementOptions options,
    TimeProvider time, ILogger log)
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Kernel-assigned handles and traffic counters differ between identical states; hash without them.</summary>
    [GeneratedRegex("\"handle\": \\d+|direct_packets_stat \\d+")]
    private static partial Regex Volatile();

    /// <summary>
    /// However small the changes, the table is listed and compared in full at least this often (at the next
    /// read-back after it passes): the incremental check sees only the keys a transaction touched, so anything
    /// else changed behind the agent's back is found here, and the hash re-based on what the kernel lists.
    /// </summary>
    public static readonly TimeSpan FullReadBackEvery = TimeSpan.FromMinutes(5);

    private readonly string _listTable = $"list table inet {NftRenderer.Table}";
    private readonly FallbackTrafficControl _tc = new(tc, new TcProcesses(runner), log);

    // What the kernel held of the trees at the last read-back, until the next tc change.
    private TcHeld? _tcHeld;

    // The table as last confirmed (a full listing, then the incremental changes verified since), when it is
    // known to match what was applied; and the element changes of the last transaction when that is all it was.
    private NftHeld? _held;
    private DateTimeOffset _fullAt;
    private IReadOnlyList<NftMapDelta>? _delta;

    private IEnumerable<string> Devices => options.LanInterfaces.Prepend(options.WanInterface);

    /// <summary>Returns (kernel changed, error). The nft buffer is one transaction; tc objects go as one batch.</summary>
    public async Task<(bool Changed, string? Error)> ApplyAsync(KernelModel desired, KernelModel? applied, CancellationToken ct)
    {
        var changed = false;
        _delta = null;
        if (desired.NftChangesFrom(applied) is { } commands)
        {
            var r = await BoundedAsync("libnftables", c => nft.RunAsync(commands, json: false, c), ct);
            if (!r.Ok)
            {
                _held = null;
                return (false, r.Describe());
            }
            // Worked out after the transaction: the read-back needs it, the kernel does not wait for it.
            var delta = desired.Nft.ElementDeltaFrom(applied?.Nft);
            _delta = delta is not null && delta.Sum(d => d.Gone.Count + d.Come.Count) <= NftElementCheck.MaxElements ? delta : null;
            changed = true;
        }
        else
        {
            _delta = [];   // the table is as last confirmed: nothing of it to re-read
        }
        var tc = desired.TcChangesFrom(applied);
        if (applied is null)
        {
            tc = await WithoutHeldRootsAsync(tc, ct);
        }
        if (tc.Count > 0)
        {
            // Over rtnetlink, one acknowledged message per object, stopping at the first refused (as tc -batch does).
            _tcHeld = null;
            var r = await BoundedAsync("tc", c => _tc.ApplyAsync(tc, c), ct);
            if (!r.Ok)
            {
                return (true, r.Error);
            }
            changed = true;
        }
        return (changed, null);
    }

    /// <summary>
    /// With nothing known (a new process), every object is sent, but HTB has no change operation: "replace" of
    /// an existing HTB root fails ("Change operation not supported by specified qdisc", qdisc_change in
    /// net/sched/sch_api.c) and the changes stop there. A root that is already ours, with our only root
    /// parameter, is kept; its classes and leaves are replaced as usual.
    /// </summary>
    private async Task<IReadOnlyList<TcCommand>> WithoutHeldRootsAsync(IReadOnlyList<TcCommand> tc, CancellationToken ct)
    {
        var held = await BoundedAsync("tc", c => _tc.ReadAsync([.. Devices], c), ct);
        var kept = Devices.Where(held.HoldsOurRoot).Select(d => $"{d} qdisc root").ToHashSet(StringComparer.Ordinal);
        return kept.Count == 0 ? tc : [.. tc.Where(c => !kept.Contains(c.Key))];
    }

    /// <summary>
    /// Reads back what the kernel holds of ours and compares it with <paramref name="meant"/> (null when nothing
    /// is meant, after a failed apply): the table, and the tc trees (dumped over rtnetlink, re-read only after a
    /// tc change, compared object for object in <see cref="TcCanonical"/> form). After a transaction
    /// that only changed a few map elements, on a table confirmed before, only those elements are read
    /// (<see cref="NftElementCheck"/>: a few ms instead of listing every element); else, and at least every
    /// <see cref="FullReadBackEvery"/>, the whole table through libnftables JSON, element for element.
    /// The hash is the SHA-256 of the canonical table (<see cref="NftHeld.Canonical"/>: as listed in full, with
    /// the verified changes applied since) and the tc text: equal kernel states give equal hashes whichever
    /// path read them, as long as nothing outside the touched keys changed since the last full listing.
    /// </summary>
    public async Task<(string Hash, string? Difference)> ReadBackAsync(KernelModel? meantModel, CancellationToken ct)
    {
        var meant = meantModel?.Nft;
        var sb = new StringBuilder();
        string? difference = null;
        if (meant is not null && _held is { } confirmed && _delta is { } delta && time.GetUtcNow() - _fullAt < FullReadBackEvery)
        {
            difference = await NftElementCheck.DifferenceAsync(delta,
                (get, c) => BoundedAsync("libnftables", t => nft.RunAsync(get, json: false, t), c), ct);
            _held = difference is null ? confirmed.With(delta) : null;
        }
        else
        {
            _held = null;
        }
        _delta = null;
        if (_held is { } incremental)
        {
            sb.Append(incremental.Canonical);
        }
        else
        {
            // Also when the incremental check failed: the hash then says what the kernel really holds.
            var list = await BoundedAsync("libnftables", c => nft.RunAsync(_listTable, json: true, c), ct);
            _fullAt = time.GetUtcNow();
            if (list.Ok)
            {
                var held = NftHeld.Parse(list.Output);
                difference ??= meant is null ? null : held.Difference(meant);
                _held = meant is not null && difference is null ? held : null;
                sb.Append(held.Canonical);
            }
            else
            {
                difference ??= meant is null ? null : $"read-back: {list.Describe()}";
                sb.Append("no-table");
            }
        }
        var trees = _tcHeld ??= await BoundedAsync("tc", c => _tc.ReadAsync([.. Devices], c), ct);
        if (meantModel is not null && trees.Difference(meantModel.Tc) is { } tcDifference)
        {
            difference ??= tcDifference;
            _tcHeld = null;
        }
        sb.Append('\n').Append(trees.Text);
        var text = Volatile().Replace(sb.ToString(), "");
        return ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), difference);
    }

    /// <summary>Deletes our table (add+delete never fails) and our HTB roots; other tables and qdiscs stay.</summary>
    public async Task CleanupAsync(CancellationToken ct)
    {
        var t = NftRenderer.Table;
        (_held, _delta, _tcHeld) = (null, null, null);
        await BoundedAsync("libnftables", c => nft.RunAsync($"add table inet {t}\ndelete table inet {t}\n", json: false, c), ct);
        var trees = await BoundedAsync("tc", c => _tc.ReadAsync([.. Devices], c), ct);
        foreach (var d in Devices.Where(trees.HoldsHtbRoot))
        {
            await BoundedAsync("tc", c => _tc.DeleteRootAsync(d, c), ct);
        }
    }

    /// <summary>
    /// Waits for a kernel call at most <see cref="CallTimeout"/> (on the injected clock), then cancels it (a
    /// process is killed, a libnftables thread abandoned) and throws <see cref="KernelTimeoutException"/>.
    /// </summary>
    private async Task<T> BoundedAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            return await call(giveUp.Token).WaitAsync(CallTimeout, time, ct);
        }
        catch (TimeoutException)
        {
            await giveUp.CancelAsync();
            throw new KernelTimeoutException($"{what} did not answer within {CallTimeout.TotalSeconds:F0} s");
        }
    }
}

/// <summary>A kernel call that did not answer in time: reported as a failed apply and retried.</summary>
internal sealed class KernelTimeoutException(string message) : Exception(message);
