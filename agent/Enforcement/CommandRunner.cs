using System.Diagnostics;

namespace CamaraQos.Agent.Enforcement;

public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Ok => ExitCode == 0;

    public string Describe(string file) => $"{file} exited {ExitCode}: {StdErr.Trim()}";
}

/// <summary>
/// The one place processes start (docs/CONVENTIONS.md: ArgumentList, never a shell). Tests substitute a
/// recorder, or the real runner prefixed with <c>ip netns exec &lt;ns&gt;</c>.
/// </summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct);
}

public sealed class ProcessCommandRunner : ICommandRunner
{
    private readonly string? _netns;
    private long _started;

    /// <param name="netns">When set, every command runs as <c>ip netns exec {netns} file args…</c> (ip-netns(8)).</param>
    public ProcessCommandRunner(string? netns = null) => _netns = netns;

    /// <summary>Processes this runner started: the measure of issue 13's "processes spawned per apply" (target 0).</summary>
    public long Started => Interlocked.Read(ref _started);

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(_netns is null ? file : "ip")
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (_netns is not null)
        {
            foreach (var a in (string[])["netns", "exec", _netns, file])
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        Interlocked.Increment(ref _started);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin.AsMemory(), ct);
            p.StandardInput.Close();
        }
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (a timeout, or shutdown): a hung tc must not outlive it. Our own child, by PID.
            p.Kill(entireProcessTree: true);
            throw;
        }
        return new CommandResult(p.ExitCode, await stdout, await stderr);
    }
}
