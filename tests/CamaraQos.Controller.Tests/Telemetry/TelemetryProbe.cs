using CamaraQos.Controller.Telemetry;
using CamaraQos.Controller.Tests.QualityOnDemand;

namespace CamaraQos.Controller.Tests.Telemetry;

/// <summary>The last telemetry listener: counts reports per agent once every controller listener has handled them.</summary>
public sealed class TelemetryProbe : ITelemetryListener
{
    private readonly Dictionary<string, int> _handled = [];

    public Task OnTelemetryStoredAsync(string agentId, CancellationToken ct)
    {
        lock (_handled)
        {
            _handled[agentId] = Handled(agentId) + 1;
        }
        return Task.CompletedTask;
    }

    public int Handled(string agentId)
    {
        lock (_handled)
        {
            return _handled.GetValueOrDefault(agentId);
        }
    }

    public Task HandledAsync(string agentId, int count) =>
        Eventually.TrueAsync(() => Handled(agentId) >= count, $"telemetry report {count} of {agentId} handled");
}
