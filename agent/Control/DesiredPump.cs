using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Hands desired documents to the enforcer one at a time, in arrival order (newest wins, see
/// <see cref="DesiredInbox"/>), so the MQTT receive loop never waits on nft or tc. Restore at start and
/// the notAfter timer belong to Enforcement's own hosted service.
/// </summary>
public sealed class DesiredPump(IEnforcer enforcer, DesiredInbox inbox, ILogger<DesiredPump> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var payload in inbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var outcome = await enforcer.SubmitAsync(payload, stoppingToken);
                ControlLog.Reconciled(log, outcome.Report.ObservedGeneration, outcome.KernelChanged);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // SubmitAsync reports bad input itself; this is an unexpected failure, and the agent goes on.
                ControlLog.EnforcerFailed(log, "submit", e);
            }
        }
    }
}
