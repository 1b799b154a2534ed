using CamaraQos.Agent.Enforcement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

/// <summary>
/// The one place that calls the enforcer, so kernel changes never overlap: restore the last document at
/// start (works with the broker unreachable), then each desired document, and an expiry check every second
/// so every policy's notAfter holds even when the gateway is cut off (ARCHITECTURE.md §4).
/// </summary>
public sealed class EnforcementPump(IEnforcer enforcer, DesiredInbox inbox, TimeProvider time, ILogger<EnforcementPump> log)
    : BackgroundService
{
    private readonly SemaphoreSlim _kernel = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Step("restore", async ct => await enforcer.RestoreAsync(ct), stoppingToken);
        var expiry = ExpireLoopAsync(stoppingToken);
        await foreach (var payload in inbox.Reader.ReadAllAsync(stoppingToken))
        {
            await Step("submit", async ct => await enforcer.SubmitAsync(payload, ct), stoppingToken);
        }
        await expiry;
    }

    private async Task ExpireLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Step("expire", enforcer.ExpireAsync, stoppingToken);
        }
    }

    private async Task Step(string name, Func<CancellationToken, Task<ReconcileOutcome?>> action, CancellationToken ct)
    {
        await _kernel.WaitAsync(ct);
        try
        {
            if (await action(ct) is { } outcome && (name != "expire" || outcome.KernelChanged))
            {
                ControlLog.Reconciled(log, outcome.Report.ObservedGeneration, outcome.KernelChanged);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            ControlLog.EnforcerFailed(log, name, e);
        }
        finally
        {
            _kernel.Release();
        }
    }

    public override void Dispose()
    {
        _kernel.Dispose();
        base.Dispose();
    }
}
