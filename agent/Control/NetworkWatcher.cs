using CamaraQos.Agent.Native;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Agent.Control;

/// <summary>
/// Polls the kernel (rtnetlink dumps of links, addresses and neighbours) every few seconds; a changed
/// snapshot makes the control channel republish the status. Polling keeps one code path for start and
/// change, and a few small dumps every 5 s cost nothing next to the capture.
/// </summary>
public sealed class NetworkWatcher(AgentSettings settings, NetworkState state, TimeProvider time, ILogger<NetworkWatcher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.InventoryPollInterval, time);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
