using CamaraQos.Agent.Liveness;
using Microsoft.Extensions.Hosting;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// At start: enforce the persisted document before anything talks to the broker; then check notAfter every
/// second so QoS ends on time even when the gateway is cut off (docs/ARCHITECTURE.md §4), and retry a failed
/// apply when its backoff is due. The loop survives any exception (logged, tried again after a growing delay)
/// and beats after every round, so the systemd watchdog stops being fed when it is stuck. On stop the kernel
/// state stays: QoS must survive an agent restart; only <see cref="IEnforcer.CleanupAsync"/> removes it.
/// </summary>
internal sealed class EnforcementService(IEnforcer enforcer, Heartbeats heartbeats, TimeProvider time) : IHostedService, IDisposable
{
    public static readonly TimeSpan ExpiryPeriod = TimeSpan.FromSeconds(1);
    public const string LoopName = "expiry";

    private readonly CancellationTokenSource _stopping = new();
    private Task? _timer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Awaited in StartAsync: hosted services start in registration order, so Control (registered after)
        // connects only once the restored state is in the kernel.
        await enforcer.RestoreAsync(cancellationToken);
        _timer = ExpireLoopAsync(heartbeats.Register(LoopName, ExpiryPeriod), _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_timer is not null)
        {
            await _timer.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task ExpireLoopAsync(Heartbeat heartbeat, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(ExpiryPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!heartbeat.Due)
                {
                    continue;
                }
                try
                {
                    await enforcer.ExpireAsync(ct);
                    heartbeat.Beat();
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    heartbeat.Failed(e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
