namespace CamaraQos.Controller.Agents;

public static class AgentsSetup
{
    public static WebApplicationBuilder AddAgents(this WebApplicationBuilder builder) => builder;
}
