namespace CamaraQos.Controller.Agents;

/// <summary>
/// Tells, status by status, when a gateway came back: online after no status, after an offline one, or
/// with a new boot epoch (a reboot wipes its kernel state, a reconnect may have missed documents). Features
/// that must re-apply their resources then keep one each.
/// </summary>
public sealed class AgentReturns
{
    private readonly Dictionary<string, long> _onlineEpoch = new(StringComparer.Ordinal);

    public bool CameBack(AgentView agent)
    {
        lock (_onlineEpoch)
        {
            if (!agent.Online)
            {
                _onlineEpoch.Remove(agent.AgentId);
                return false;
            }
            var back = !_onlineEpoch.TryGetValue(agent.AgentId, out var epoch) || epoch != agent.BootEpoch;
            _onlineEpoch[agent.AgentId] = agent.BootEpoch;
            return back;
        }
    }
}
