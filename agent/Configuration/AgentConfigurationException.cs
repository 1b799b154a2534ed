namespace CamaraQos.Agent.Configuration;

/// <summary>A configuration value that cannot work; the message names the key (docs/ARCHITECTURE.md §8).</summary>
public sealed class AgentConfigurationException(string key, string problem)
    : Exception($"{key}: {problem}")
{
    public string Key { get; } = key;
}
