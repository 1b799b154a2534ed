using CamaraQos.Agent.Enforcement;
using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Hands desired documents to the enforcer one at a time, in arrival order (newest wins, see
/// <see cref="DesiredInbox"/>), so the MQTT receive loop never waits on the kernel. Restore at start and
/// the notAfter timer belong to Enforcement's own hosted service. Waiting for a document is not late; one
/// apply that does not end within the heartbeat's limit stops the systemd watchdog.
/// </summary>
public sealed class DesiredPump(IEnforcer enforcer, DesiredInbox inbox, Heartbeats heartbeats, ILogger<DesiredPump> log)
    : BackgroundService
{
    public const string LoopName = "desired";

    /// <summary>Not a period: the pump's limit is the heartbeats' minimum, ample for one apply.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = heartbeats.Register(LoopName, Interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeat.Wait();
            var payload = await inbox.Reader.ReadAsync(stoppingToken);
            heartbeat.Beat();
            try
            {
                var outcome = await enforcer.SubmitAsync(payload, stoppingToken);
                ControlLog.Reconciled(log, outcome.Report.ObservedGeneration, outcome.KernelChanged);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // SubmitAsync reports bad input itself; this is an unexpected failure, and the agent goes on
                // with the next document.
                ControlLog.EnforcerFailed(log, "submit", e);
            }
        }
    }
}
