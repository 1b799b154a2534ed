using System.Diagnostics;
using CamaraQos.Agent.Tests.Control;
using Xunit;

namespace CamaraQos.Lab.Tests;

/// <summary>
/// The real agent binary as a child process inside the lab's gateway namespace (`ip netns exec` execs it, so
/// the process id is the agent's own): started and killed by that id only. Its log lines are kept so tests
/// can await what it says, and go to the test output while the test runs.
/// </summary>
public sealed class GatewayAgent : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private GatewayAgent(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <param name="extra">More keys (<c>--Agent:TelemetryIntervalSeconds=2</c>), after and so over the defaults.</param>
    public static GatewayAgent Start(TestLab lab, string id, string password, int mqttPort, string stateDirectory, int uplinkKbps,
        params string[] extra)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["netns", "exec", lab.Namespace("gw"), AgentBinary.Path, "--config", "/nonexistent/agent.json",
            $"--Agent:Id={id}", $"--Agent:Password={password}", $"--Mqtt:Host={lab.HostSide}", $"--Mqtt:Port={mqttPort}",
            "--Agent:WanInterface=wan0", "--Agent:LanInterfaces=lan0", $"--Agent:UplinkKbps={uplinkKbps}", "--Agent:DownlinkKbps=100000",
            $"--Agent:StateDirectory={stateDirectory}", "--Agent:InventoryPollSeconds=0.5",
            "--Mqtt:ReconnectMinimumSeconds=0.2", "--Mqtt:ReconnectMaximumSeconds=1", .. extra])
        {
            start.ArgumentList.Add(arg);
        }
        var agent = new GatewayAgent(Process.Start(start)!);
        agent._process.OutputDataReceived += (_, e) => agent.Add(e.Data);
        agent._process.ErrorDataReceived += (_, e) => agent.Add(e.Data);
        agent._process.BeginOutputReadLine();
        agent._process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Waits for a log line (counted from <paramref name="after"/> lines in) that matches.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, int after = 0, int timeoutSeconds = 30)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        for (var seen = after; ; )
        {
            lock (_lines)
            {
                for (; seen < _lines.Count; seen++)
                {
                    if (match(_lines[seen]))
                    {
                        return _lines[seen];
                    }
                }
            }
            try
            {
                await _lineArrived.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The agent did not log the expected line within {timeoutSeconds} s (exited: {HasExited}).");
            }
        }
    }

    /// <summary>How many lines the agent has logged so far (to await only later ones).</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>SIGKILL (Process.Kill on Unix), by this process id only; waits until it is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            // Without a timeout WaitForExit also drains the redirected output, so no line arrives after Dispose.
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _lineArrived.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
        }
        _lineArrived.Release();
        try
        {
            TestContext.Current.TestOutputHelper?.WriteLine("agent: " + line);
        }
        catch (InvalidOperationException)
        {
            // The test already finished: late lines are not needed.
        }
    }
}
