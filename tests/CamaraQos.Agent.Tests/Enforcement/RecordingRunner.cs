using System.Collections.Concurrent;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Shared;

namespace CamaraQos.Agent.Tests.Enforcement;

public sealed record RecordedCommand(string File, IReadOnlyList<string> Args, string? Stdin)
{
    public bool Mutates => File == "nft" ? Args.Contains("-f") : Args.Contains("-batch") || Args.Contains("del");
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

/// <summary>A probe with a fixed answer, for tests that do not exercise probing itself.</summary>
internal sealed class FixedProbe(params string[] qdiscs) : ICapabilityProbe
{
    public Task<AgentCapabilities> ProbeAsync(CancellationToken ct) =>
        Task.FromResult(new AgentCapabilities(qdiscs, ["u32"], true, true, true));
}
