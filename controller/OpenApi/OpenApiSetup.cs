namespace CamaraQos.Controller.OpenApi;

public static class OpenApiSetup
{
    public static WebApplicationBuilder AddCamaraOpenApi(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapCamaraOpenApi(this WebApplication app) => app;
}
