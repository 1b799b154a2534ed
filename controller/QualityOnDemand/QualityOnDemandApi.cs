namespace CamaraQos.Controller.QualityOnDemand;

public static class QualityOnDemandApi
{
    public static WebApplicationBuilder AddQualityOnDemand(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapQualityOnDemandApi(this WebApplication app) => app;
}
