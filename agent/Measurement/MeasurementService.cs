using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Control;
using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Liveness;
using CamaraQos.Agent.Native;
using CamaraQos.Shared;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Measurement (docs/ARCHITECTURE.md §6, docs/CONVENTIONS.md "Agent"): captures on the WAN interface and every LAN
/// interface, and every <c>Agent:TelemetryIntervalSeconds</c> folds the interval into one
/// <see cref="TelemetryReport"/> (flows, devices, verdicts for the desired document's monitors, capture
/// health, HTB class counters) for the control channel to publish. An interface that cannot be captured
/// (absent, down, no libpcap) is an error counted in the report and retried every interval, never a crash.
/// </summary>
public sealed class MeasurementService(
    AgentSettings agent, NetworkState network, IEnforcer enforcer,
    TelemetryOutbox outbox, Heartbeats heartbeats, TimeProvider time, ILogger<MeasurementService> log) : BackgroundService
{
    public const string LoopName = "telemetry";

    private readonly Dictionary<string, string?> _captureErrors = new(StringComparer.Ordinal);
    private string? _classError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!agent.Measurement)
        {
            MeasurementLog.Disabled(log);
            return;
        }
        var heartbeat = heartbeats.Register(LoopName, TimeSpan.FromSeconds(agent.TelemetryIntervalSeconds));
        using var capture = new LiveCapture(new MeasurementEngine(MeasurementOptions.From(agent)));
        void OnNetworkChanged(NetworkSnapshot snapshot) => capture.SetLanPrefixes(Prefixes(snapshot));
        network.Changed += OnNetworkChanged;
        try
        {
            OnNetworkChanged(network.Current);
            OpenCaptures(capture);
            var from = time.GetUtcNow();
            capture.Collect(from, []);   // the first interval starts now, not at the first packet
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(agent.TelemetryIntervalSeconds), time);
            // How long a report waits for packets stamped before its end that the capture has not read yet.
            var grace = TimeSpan.FromSeconds(Math.Min(1.0, agent.TelemetryIntervalSeconds / 4.0));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var to = time.GetUtcNow();
                try
                {
                    outbox.Post(AgentMessages.Json(await ReportAsync(capture, from, to, grace, stoppingToken)));
                    OpenCaptures(capture);
                    heartbeat.Beat();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Unexpected; the interval is lost but measurement goes on, and tries again next interval.
                    // No beat: an interval that always fails stops the systemd watchdog.
                    MeasurementLog.IntervalFailed(log, e);
                }
                from = to;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            network.Changed -= OnNetworkChanged;
        }
    }

    private async Task<TelemetryReport> ReportAsync(LiveCapture capture, DateTimeOffset from, DateTimeOffset to, TimeSpan grace,
        CancellationToken ct)
    {
        var interval = await capture.CollectAsync(to, enforcer.Monitors, grace, ct);
        return new TelemetryReport(Contract.SchemaVersion, agent.AgentId, from, to,
            interval.Flows, interval.Devices, interval.Verdicts, capture.Counters(), Classes());
    }

    /// <summary>Opens what is not capturing; logs only a change (a new failure, a recovery), not every retry.</summary>
    private void OpenCaptures(LiveCapture capture)
    {
        Open(capture, agent.WanInterface, CaptureSide.Wan);
        foreach (var lan in agent.LanInterfaces)
        {
            Open(capture, lan, CaptureSide.Lan);
        }
    }

    private void Open(LiveCapture capture, string name, CaptureSide side)
    {
        if (capture.IsCapturing(name))
        {
            return;
        }
        var opened = capture.TryStart(name, side, out var error);
        var hadError = _captureErrors.TryGetValue(name, out var previous) && previous is not null;
        if (opened)
        {
            MeasurementLog.Capturing(log, name, side, hadError);
        }
        else if (previous != error)
        {
            MeasurementLog.CaptureFailed(log, name, error ?? "unknown error");
        }
        _captureErrors[name] = opened ? null : error;
    }

    private IReadOnlyList<ClassCounters> Classes()
    {
        try
        {
            var classes = TcClassReader.Read([agent.WanInterface, .. agent.LanInterfaces]);
            _classError = null;
            return classes;
        }
        catch (IOException e)
        {
            if (_classError != e.Message)
            {
                MeasurementLog.ClassesFailed(log, e.Message);
            }
            _classError = e.Message;
            return [];
        }
    }

    internal static List<IpPrefix> Prefixes(NetworkSnapshot snapshot)
    {
        var prefixes = new List<IpPrefix>(snapshot.LanPrefixes.Count);
        foreach (var text in snapshot.LanPrefixes)
        {
            if (IpPrefix.TryParse(text, out var prefix))
            {
                prefixes.Add(prefix.Value);
            }
        }
        return prefixes;
    }
}
