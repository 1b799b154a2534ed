using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Liveness;
using CamaraQos.Agent.Native;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Polls the kernel (rtnetlink dumps of links, addresses and neighbours) every few seconds; a changed
/// snapshot makes the control channel republish the status. Polling keeps one code path for start and
/// change, and a few small dumps every 5 s cost nothing next to the capture. A failed read is logged and
/// read again on the next poll; anything unexpected is retried after a growing delay.
/// </summary>
public sealed class NetworkWatcher(AgentSettings settings, NetworkState state, Heartbeats heartbeats, TimeProvider time,
    ILogger<NetworkWatcher> log) : BackgroundService
{
    public const string LoopName = "network";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = heartbeats.Register(LoopName, settings.InventoryPollInterval);
        using var timer = new PeriodicTimer(settings.InventoryPollInterval, time);
        do
        {
            if (!heartbeat.Due)
            {
                continue;
            }
            try
            {
                Poll();
                heartbeat.Beat();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                heartbeat.Failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private void Poll()
    {
        try
        {
            var snapshot = NetworkReader.Read(settings.WanInterface, settings.LanInterfaces);
            if (state.Update(snapshot))
            {
                ControlLog.NetworkChanged(log, snapshot.WanIpv4.Count + snapshot.WanIpv6Prefixes.Count,
                    snapshot.LanPrefixes.Count, snapshot.Inventory.Count);
            }
        }
        catch (IOException e)
        {
            ControlLog.NetworkReadFailed(log, e.Message);
        }
    }
}
