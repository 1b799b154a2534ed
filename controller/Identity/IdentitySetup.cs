namespace CamaraQos.Controller.Identity;

public static class IdentitySetup
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder) => builder;
}
