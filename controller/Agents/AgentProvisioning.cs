namespace CamaraQos.Controller.Agents;

/// <summary>
/// Where an agent's MQTT credentials take effect (<c>Mqtt:Provisioning</c>, docs/ARCHITECTURE.md §4, §8):
/// the embedded broker's own store, Mosquitto's dynamic-security plugin, or nowhere (<c>Manual</c>: the
/// broker's operator does it). Both operations are idempotent, so several controllers may run them for
/// one agent at once: the last password written wins, as with two PUTs on one controller.
/// </summary>
public interface IAgentProvisioning
{
    /// <summary>Creates the agent or rotates its password; true when the agent is new to this deployment.</summary>
    /// <exception cref="AgentProvisioningException">the broker refused, did not answer, or is not ours to provision</exception>
    Task<bool> ProvisionAsync(string agentId, string password, CancellationToken ct);

    /// <summary>Withdraws the credentials and ends the agent's sessions; false when the agent was not registered.</summary>
    Task<bool> WithdrawAsync(string agentId, CancellationToken ct);
}

public enum ProvisioningFailure
{
    /// <summary>This deployment does not provision agents (<c>Mqtt:Provisioning=Manual</c>).</summary>
    Unsupported,
    /// <summary>The name is taken on the broker by something that is not this agent (another client, the controller itself).</summary>
    Conflict,
    /// <summary>The broker is unreachable or did not answer in time.</summary>
    BrokerUnavailable,
    /// <summary>The broker answered with an error.</summary>
    BrokerRefused,
}

/// <summary>Why credentials could not be set or withdrawn; the admin API turns <see cref="Failure"/> into its status.</summary>
public sealed class AgentProvisioningException(ProvisioningFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ProvisioningFailure Failure { get; } = failure;
}

/// <summary><c>Mqtt:Provisioning=Embedded</c>: the embedded broker checks the credentials the directory stores.</summary>
public sealed class EmbeddedProvisioning(AgentDirectory directory, EmbeddedBroker broker) : IAgentProvisioning
{
    public Task<bool> ProvisionAsync(string agentId, string password, CancellationToken ct) =>
        directory.RegisterAsync(agentId, password, ct);

    public async Task<bool> WithdrawAsync(string agentId, CancellationToken ct)
    {
        if (!await directory.DeleteAsync(agentId, ct))
        {
            return false;
        }
        await broker.DisconnectAgentAsync(agentId);
        return true;
    }
}

/// <summary>
/// <c>Mqtt:Provisioning=Manual</c> (an external broker configured by its operator): setting a password here
/// would have no effect, so it is refused rather than acknowledged; forgetting an agent still works.
/// </summary>
public sealed class ManualProvisioning(AgentDirectory directory) : IAgentProvisioning
{
    public Task<bool> ProvisionAsync(string agentId, string password, CancellationToken ct) =>
        throw new AgentProvisioningException(ProvisioningFailure.Unsupported,
            "Mqtt:Provisioning is Manual: agent credentials are configured in the external broker by its operator " +
            "(README, \"From one controller to many\"), or set Mqtt:Provisioning=MosquittoDynamicSecurity.");

    public Task<bool> WithdrawAsync(string agentId, CancellationToken ct) => directory.DeleteAsync(agentId, ct);
}
