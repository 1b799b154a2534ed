using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>
/// A Mosquitto of the test's own on a free loopback port (private config in a temp directory), stoppable and
/// restartable on the same port (<see cref="StopAsync"/>, <see cref="RestartAsync"/>). Skips the test, saying why, where Debian's mosquitto is not installed.
/// </summary>
internal sealed class PrivateMosquitto : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/mosquitto";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("camaraqos-mosquitto-");
    private Process? _process;

    private PrivateMosquitto(int port) => Port = port;

    public int Port { get; }

    public static Task<PrivateMosquitto> StartAsync() =>
        StartAsync((broker, port) => $"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n");

    /// <summary>
    /// Authenticating Mosquitto with the real dynamic-security plugin, initialised as an operator does
    /// (<c>mosquitto_ctrl dynsec init</c>, packaging/mosquitto/README.md) with <paramref name="adminUser"/> as its admin.
    /// </summary>
    public static Task<PrivateMosquitto> StartWithDynamicSecurityAsync(string adminUser, string adminPassword) =>
        StartAsync((broker, port) =>
        {
            if (!File.Exists(DynamicSecurityPlugin))
            {
                Assert.Skip($"{DynamicSecurityPlugin} is not installed (Debian package mosquitto).");
            }
            var state = Path.Combine(broker._dir.FullName, "dynamic-security.json");
            var init = Process.Start("/usr/bin/mosquitto_ctrl", ["dynsec", "init", state, adminUser, adminPassword])!;
            init.WaitForExit();
            Assert.Equal(0, init.ExitCode);
            // Run as root, Mosquitto drops to the mosquitto user, which cannot read or save the plugin's state in
            // this private directory: stay the test's user ("user root" only has an effect under root).
            return $"per_listener_settings false\nuser root\nlistener {port} 127.0.0.1\nallow_anonymous false\npersistence false\n" +
                $"plugin {DynamicSecurityPlugin}\nplugin_opt_config_file {state}\n";
        });

    private const string DynamicSecurityPlugin = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";

    private static async Task<PrivateMosquitto> StartAsync(Func<PrivateMosquitto, string, string> config)
    {
        if (!File.Exists(Binary))
        {
            Assert.Skip($"{Binary} is not installed (Debian package mosquitto; tests/run.sh installs it).");
        }
        var broker = new PrivateMosquitto(FreePort());
        await File.WriteAllTextAsync(Path.Combine(broker._dir.FullName, "mosquitto.conf"),
            config(broker, broker.Port.ToString(CultureInfo.InvariantCulture)));
        await broker.RestartAsync();
        return broker;
    }

    public async Task RestartAsync()
    {
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Path.Combine(_dir.FullName, "mosquitto.conf"));
        _process = Process.Start(psi)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await AcceptsAsync())
        {
            Assert.True(DateTime.UtcNow < deadline && !_process.HasExited, $"mosquitto did not listen on {Port}");
            // Between two connection attempts; the deadline bounds the wait.
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> AcceptsAsync()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
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
        await StopAsync();
        _dir.Delete(recursive: true);
    }
}
