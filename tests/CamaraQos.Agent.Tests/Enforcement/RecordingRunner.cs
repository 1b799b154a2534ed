using System.Collections.Concurrent;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>
/// A process started, or (File "libnftables", Stdin the buffer) one libnftables call, or (File "rtnetlink", Args
/// the operation, Stdin the objects' tc lines) one call of the tc objects' door.
/// </summary>
public sealed record RecordedCommand(string File, IReadOnlyList<string> Args, string? Stdin)
{
    public bool IsNft => File == "libnftables";

    public bool IsNetlinkTc => File == "rtnetlink";

    public bool Mutates => IsNft ? !Stdin!.StartsWith("list ", StringComparison.Ordinal) && !Stdin.StartsWith("get ", StringComparison.Ordinal)
        : IsNetlinkTc ? Args[0] is "apply" or "del" : Args.Contains("-batch") || Args.Contains("del");
}

/// <summary>Records every command; answers success itself, or passes through to a real runner.</summary>
internal sealed class RecordingRunner(ICommandRunner? inner = null) : ICommandRunner
{
    public ConcurrentQueue<RecordedCommand> Commands { get; } = new();

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct)
    {
        Commands.Enqueue(new RecordedCommand(file, [.. args], stdin));
        return inner is null ? new CommandResult(0, "", "") : await inner.RunAsync(file, args, stdin, ct);
    }

    public RecordedCommand[] Drain()
    {
        var all = new List<RecordedCommand>();
        while (Commands.TryDequeue(out var c))
        {
            all.Add(c);
        }
        return [.. all];
    }
}

/// <summary>Records every libnftables buffer into the runner's queue (one ordered log), then passes it on.</summary>
internal sealed class RecordingNftables(RecordingRunner log, INftables inner) : INftables
{
    public Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
    {
        log.Commands.Enqueue(new RecordedCommand("libnftables", json ? ["json"] : [], commands));
        return inner.RunAsync(commands, json, ct);
    }
}

/// <summary>A probe with a fixed answer, for tests that do not exercise probing itself.</summary>
internal sealed class FixedProbe(params string[] qdiscs) : ICapabilityProbe
{
    public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
        Task.FromResult(new AgentCapabilities(qdiscs, ["u32"], true, true, true));
}

/// <summary>Records every call of the tc objects' door into the runner's queue (one ordered log), then passes it on.</summary>
internal sealed class RecordingTrafficControl(RecordingRunner log, ITrafficControl inner) : ITrafficControl
{
    public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct)
    {
        log.Commands.Enqueue(new RecordedCommand("rtnetlink", ["apply"], string.Concat(objects.Select(o => o.Line + "\n"))));
        return inner.ApplyAsync(objects, ct);
    }

    public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct)
    {
        log.Commands.Enqueue(new RecordedCommand("rtnetlink", ["read", .. devices], null));
        return inner.ReadAsync(devices, ct);
    }

    public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct)
    {
        log.Commands.Enqueue(new RecordedCommand("rtnetlink", ["del", device], null));
        return inner.DeleteRootAsync(device, ct);
    }
}

/// <summary>
/// A kernel's tc objects in memory: what was applied reads back in canonical form, so the reconciler's
/// comparison and hash work as on the real kernel (whose codec the kernel tests cover).
/// </summary>
internal sealed class FakeTrafficControl : ITrafficControl
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, string>> _devices = new(StringComparer.Ordinal);

    public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct)
    {
        lock (_lock)
        {
            foreach (var c in objects)
            {
                if (!_devices.TryGetValue(c.Object.Device, out var held))
                {
                    _devices[c.Object.Device] = held = new(StringComparer.Ordinal);
                }
                held[c.Key] = c.Object.Canonical;
            }
        }
        return Task.FromResult(TcResult.Done);
    }

    public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct)
    {
        lock (_lock)
        {
            var held = devices.Distinct().ToDictionary(d => d,
                d => (IReadOnlyList<string>)[.. (_devices.GetValueOrDefault(d)?.Values.AsEnumerable() ?? []).Order(StringComparer.Ordinal)], StringComparer.Ordinal);
            return Task.FromResult(new TcHeld(held, Canonical: true));
        }
    }

    public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct)
    {
        lock (_lock)
        {
            _devices.Remove(device);
        }
        return Task.FromResult(TcResult.Done);
    }
}
