using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// tc(8) as processes: one <c>tc -batch</c> for the changes (it stops at the first failing line), <c>tc show</c>
/// for the read-back (text for the hash only: not canonical). Only the fallback when netlink is refused.
/// </summary>
internal sealed class TcProcesses(ICommandRunner runner) : ITrafficControl
{
    public async Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct)
    {
        var batch = string.Join('\n', objects.Select(c => c.Line)) + "\n";
        var r = await runner.RunAsync("tc", ["-batch", "-"], batch, ct);
        return r.Ok ? TcResult.Done : new TcResult(r.Describe("tc"));
    }

    public async Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct)
    {
        var held = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var d in devices.Distinct())
        {
            var classes = await runner.RunAsync("tc", ["class", "show", "dev", d], null, ct);
            var qdiscs = await runner.RunAsync("tc", ["qdisc", "show", "dev", d], null, ct);
            held[d] = (classes.StdOut + qdiscs.StdOut).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        return new TcHeld(held, Canonical: false);
    }

    public async Task<TcResult> DeleteRootAsync(string device, CancellationToken ct)
    {
        var r = await runner.RunAsync("tc", ["qdisc", "del", "dev", device, "root"], null, ct);
        return r.Ok ? TcResult.Done : new TcResult(r.Describe("tc"));
    }
}

/// <summary>Netlink first; tc(8) processes for any call netlink refuses (<see cref="TcRefusedException"/>), logged.</summary>
internal sealed class FallbackTrafficControl(ITrafficControl netlink, ITrafficControl processes, ILogger log) : ITrafficControl
{
    public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct) =>
        TryAsync(c => netlink.ApplyAsync(objects, c), c => processes.ApplyAsync(objects, c), "changes", ct);

    public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) =>
        TryAsync(c => netlink.ReadAsync(devices, c), c => processes.ReadAsync(devices, c), "read-back", ct);

    public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct) =>
        TryAsync(c => netlink.DeleteRootAsync(device, c), c => processes.DeleteRootAsync(device, c), "cleanup", ct);

    private async Task<T> TryAsync<T>(Func<CancellationToken, Task<T>> first, Func<CancellationToken, Task<T>> fallback, string operation, CancellationToken ct)
    {
        try
        {
            return await first(ct);
        }
        catch (TcRefusedException e)
        {
            EnforcementLog.TcFallback(log, e.Message, operation);
            return await fallback(ct);
        }
    }
}
