using System.Diagnostics;

namespace CamaraQos.TestSupport;

public sealed record ProcResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs a process with ArgumentList (never a shell) and returns its output; for test setup.</summary>
public static class Proc
{
    public static async Task<ProcResult> RunAsync(string file, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = stdin is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin);
            p.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return new ProcResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Like <see cref="RunAsync"/>, but a non-zero exit is an exception naming the command.</summary>
    public static async Task<string> CheckAsync(string file, IEnumerable<string> args, string? stdin = null)
    {
        var list = args.ToList();
        var r = await RunAsync(file, list, stdin);
        return r.ExitCode == 0
            ? r.StdOut
            : throw new InvalidOperationException($"{file} {string.Join(' ', list)} exited {r.ExitCode}: {r.StdErr}");
    }
}
