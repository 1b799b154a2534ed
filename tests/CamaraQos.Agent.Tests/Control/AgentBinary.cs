namespace CamaraQos.Agent.Tests.Control;

/// <summary>The agent's own executable, copied beside the tests by the project reference.</summary>
public static class AgentBinary
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "camaraqos-agent");
}
