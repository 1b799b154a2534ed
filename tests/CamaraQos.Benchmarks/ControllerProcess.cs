using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CamaraQos.Benchmarks;

/// <summary>
/// The real controller (its own Program, Kestrel on a real TCP port, the embedded broker, SQLite in a
/// temp file) as a child process, so its CPU and GC are not mixed with the load driver's. Started and
/// stopped by its PID; the database is removed afterwards.
/// </summary>
public sealed class ControllerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly Queue<string> _tail = new();

    private ControllerProcess(Process process, string directory, int httpPort, int mqttPort)
    {
        (_process, _directory, HttpPort, MqttPort) = (process, directory, httpPort, mqttPort);
    }

    public int ProcessId => _process.Id;
    public int HttpPort { get; }
    public int MqttPort { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public static ControllerProcess Start(int permitLimit, int syncConfirmMs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "camaraqos-controller.dll");
        var directory = Directory.CreateTempSubdirectory("camaraqos-bench-").FullName;
        var (httpPort, mqttPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            dll, "--urls", $"http://127.0.0.1:{httpPort}",
            "--environment", "Production",
            "--Sandbox:Enabled=true",
            $"--Mqtt:Port={mqttPort}",
            $"--Storage:ConnectionString=Data Source={Path.Combine(directory, "bench.db")}",
            $"--RateLimiting:PermitLimit={permitLimit}",
            $"--QualityOnDemand:SynchronousConfirmMilliseconds={syncConfirmMs}",
            // Per-request and per-connection Information lines would cost the controller CPU the run measures.
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var controller = new ControllerProcess(process, directory, httpPort, mqttPort);
        process.OutputDataReceived += (_, e) => controller.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => controller.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return controller;
    }

    /// <summary>Polls the discovery document until Kestrel answers (hosted services, the broker included, start first).</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The controller exited ({_process.ExitCode}):\n{Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/.well-known/openid-configuration"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The controller did not answer within {timeout}:\n{Tail()}");
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
