using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>
/// The controller as systemd runs it: a child of a process named <c>systemd</c> (how Microsoft.Extensions.Hosting.Systemd
/// recognises a service), with NOTIFY_SOCKET and WATCHDOG_USEC set, sends READY=1 and then feeds the watchdog.
/// </summary>
public class SystemdNotifyTests
{
    [Fact]
    public async Task UnderSystemdTheControllerSaysReadyAndPingsTheWatchdog()
    {
        var dir = Directory.CreateTempSubdirectory("camaraqos-notify-");
        var notifyPath = Path.Combine(dir.FullName, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        // The parent's comm must read "systemd": a shell started through a link of that name, which stays
        // the controller's parent because a command follows it.
        var systemd = Path.Combine(dir.FullName, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        var start = new ProcessStartInfo(systemd) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "-c", "\"$@\"; exit $?", "sh",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "camaraqos-controller.dll"),
            "--urls", "http://127.0.0.1:0",
            "--Mqtt:Port=0",
            $"--Storage:ConnectionString=Data Source={Path.Combine(dir.FullName, "controller.db")}",
        })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        start.Environment["WATCHDOG_USEC"] = "2000000"; // a ping every second
        start.Environment.Remove("WATCHDOG_PID");
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await ReceiveUntilAsync(notify, "READY=1");
            var watchdog = await ReceiveUntilAsync(notify, "WATCHDOG=1");

            Assert.Contains("READY=1", ready, StringComparison.Ordinal);
            Assert.Contains("WATCHDOG=1", watchdog, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Reads datagrams until one contains <paramref name="expected"/>; fails after a generous bound.</summary>
    private static async Task<string> ReceiveUntilAsync(Socket socket, string expected)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(60));
        var buffer = new byte[4096];
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, read);
                if (message.Contains(expected, StringComparison.Ordinal))
                {
                    return message;
                }
                seen.Add(message);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"No {expected} within 60 s; received: [{string.Join(", ", seen)}]");
            throw;
        }
    }
}
