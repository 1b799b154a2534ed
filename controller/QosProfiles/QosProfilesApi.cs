namespace CamaraQos.Controller.QosProfiles;

public static class QosProfilesApi
{
    public static WebApplicationBuilder AddQosProfiles(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapQosProfilesApi(this WebApplication app) => app;
}
