using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// The controller binary of a throwaway root, started the way its installed unit starts it: the unit's
/// <c>ExecStart=</c> and <c>Environment=</c> with paths rebased into the root, <c>--config</c> pointing at
/// <paramref name="config"/>, and a working directory standing in for the StateDirectory. Kestrel is told port 0
/// and the real port is read from its "Now listening on" line, so no port is guessed.
/// </summary>
internal sealed partial class InstalledController(string root, string unitText, string config, string stateDirectory) : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    public Uri BaseAddress => _listening.Task.Result;

    /// <summary>Everything it printed so far (stdout and stderr), for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task StartAsync(params string[] extraArgs)
    {
        var argv = Value("ExecStart").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(Rebase(argv[0]))
        {
            WorkingDirectory = stateDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < argv.Length; i++)
        {
            start.ArgumentList.Add(argv[i - 1] == "--config" ? config : argv[i]);
        }
        foreach (var arg in extraArgs)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var line in unitText.Split('\n').Where(l => l.StartsWith("Environment=", StringComparison.Ordinal)))
        {
            var assignment = line["Environment=".Length..].Split('=', 2);
            start.Environment[assignment[0]] = Rebase(assignment[1]);
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"the controller exited before listening:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await _listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>SIGTERM, as systemd stops it; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        (await Command.RunAsync("kill", ["-TERM", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill");
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Value(string key) =>
        unitText.Split('\n').Last(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    private string Rebase(string path) => path.StartsWith('/') ? Path.Combine(root, path.TrimStart('/')) : path;

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex ListeningLine();
}
