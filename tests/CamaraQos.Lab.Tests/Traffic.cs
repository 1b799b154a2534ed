using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CamaraQos.Agent.Tests.Control;

namespace CamaraQos.Lab.Tests;

/// <summary>Bounded test traffic in the lab: iperf3(1) servers and clients, ping(8) RTT samples.</summary>
public static partial class Traffic
{
    /// <summary>An iperf3 server in the WAN server's namespace, killed by its own process id on dispose.</summary>
    public sealed class IperfServer : IDisposable
    {
        private readonly Process _process;

        private IperfServer(Process process) => _process = process;

        public static async Task<IperfServer> StartAsync(TestLab lab, int port)
        {
            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])["netns", "exec", lab.Namespace("wan"), "iperf3", "-s", "--forceflush", "-p", $"{port}"])
            {
                start.ArgumentList.Add(arg);
            }
            var server = new IperfServer(Process.Start(start)!);
            // Listening once "Server listening on <port>" is printed.
            var line = await server._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            while (line is not null && !line.Contains("Server listening", StringComparison.Ordinal))
            {
                line = await server._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            _ = server._process.StandardOutput.ReadToEndAsync();
            _ = server._process.StandardError.ReadToEndAsync();
            return line is not null ? server : throw new InvalidOperationException("iperf3 -s did not start");
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }

    /// <summary>Sends <paramref name="bytes"/> over TCP from a LAN client to the server's iperf3 port.</summary>
    public static async Task SendAsync(TestLab lab, string client, int port, string bytes) =>
        (await lab.ExecAsync(client, "iperf3", "-c", lab.WanServer, "-p", $"{port}", "-n", bytes)).EnsureSuccess($"iperf3 to port {port}");

    /// <summary>Bulk TCP (parallel streams, bounded time); the receiver's goodput in kbit/s.</summary>
    public static async Task<double> BulkAsync(TestLab lab, string client, int port, int streams, int seconds)
    {
        var result = await Command.RunAsync("ip", ["netns", "exec", lab.Namespace(client), "iperf3", "-c", lab.WanServer, "-p", $"{port}",
            "-P", $"{streams}", "-t", $"{seconds}", "-J"], TimeSpan.FromSeconds(seconds + 30));
        result.EnsureSuccess("iperf3 bulk");
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble() / 1000;
    }

    /// <summary>RTT samples (ms) of ICMP echo from a LAN client to the server: `ping -i interval -c count`.</summary>
    public static async Task<double[]> PingAsync(TestLab lab, string client, int count, double interval = 0.05)
    {
        var result = await Command.RunAsync("ip", ["netns", "exec", lab.Namespace(client), "ping", "-n", "-i",
            interval.ToString(CultureInfo.InvariantCulture), "-c", $"{count}", "-W", "2", lab.WanServer], TimeSpan.FromSeconds(count * interval + 30));
        var samples = RttLine().Matches(result.Stdout).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        return samples.Length >= count / 2 ? samples : throw new InvalidOperationException($"ping lost most replies: {result.Stdout}");
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    [GeneratedRegex(@"time=([0-9.]+) ms")]
    private static partial Regex RttLine();
}
