namespace CamaraQos.Controller.Auth;

public static class AuthSetup
{
    public static WebApplicationBuilder AddCamaraAuth(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapAuthorizationServer(this WebApplication app) => app;
}
