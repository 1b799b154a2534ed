namespace CamaraQos.Controller.Admin;

public static class AdminApi
{
    public static WebApplication MapAdminApi(this WebApplication app) => app;
}
