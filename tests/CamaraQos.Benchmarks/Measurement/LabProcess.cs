using System.Diagnostics;
using System.Text;

namespace CamaraQos.Benchmarks.Measurement;

/// <summary>A long-running child (tcpdump, iperf3) whose output is collected as it comes, so its pipes never fill.</summary>
internal sealed class LabProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();
    private readonly List<(string Marker, TaskCompletionSource Seen)> waits = [];

    private LabProcess(Process process) => this.process = process;

    public static LabProcess Start(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var lab = new LabProcess(process);
        process.OutputDataReceived += (_, e) => lab.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => lab.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lab;
    }

    public int Id => process.Id;

    /// <summary>Everything printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (gate)
        {
            output.AppendLine(line);
            foreach (var (marker, seen) in waits)
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }
    }

    /// <summary>Waits (bounded) for a line containing <paramref name="marker"/>, or for the process to end.</summary>
    public async Task WaitForAsync(string marker, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            waits.Add((marker, seen));
            if (output.ToString().Contains(marker, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
        var ended = process.WaitForExitAsync();
        if (await Task.WhenAny(seen.Task, ended, Task.Delay(timeout)) != seen.Task)
        {
            throw new TimeoutException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)}: no '{marker}' in {timeout.TotalSeconds} s: {Output}");
        }
    }

    /// <summary>Waits for the process to end by itself; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public int ExitCode => process.ExitCode;

    /// <summary>SIGTERM by id: tcpdump then flushes its file and prints its counts.</summary>
    public void Terminate()
    {
        if (!process.HasExited)
        {
            _ = Tmds.Linux.LibC.kill(process.Id, Tmds.Linux.LibC.SIGTERM);
        }
    }

    private bool disposed;

    /// <summary>Kills it (by its own id) if it still runs; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
