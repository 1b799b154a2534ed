using System.Collections.Concurrent;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Enforcement;

/// <summary>A process started, or (File "libnftables", Stdin the buffer) one libnftables call.</summary>
public sealed record RecordedCommand(string File, IReadOnlyList<string> Args, string? Stdin)
{
    public bool IsNft => File == "libnftables";

    public bool Mutates => IsNft ? !Stdin!.StartsWith("list ", StringComparison.Ordinal) && !Stdin.StartsWith("get ", StringComparison.Ordinal) : Args.Contains("-batch") || Args.Contains("del");
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
