namespace CamaraQos.Controller.Sandbox;

public static class SandboxSetup
{
    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder) => builder;
}
