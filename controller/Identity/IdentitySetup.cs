using CamaraQos.Controller.Storage;

namespace CamaraQos.Controller.Identity;

public static class IdentitySetup
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SubscriberStore>();
        builder.Services.AddSingleton<ISubscriberDirectory>(sp => sp.GetRequiredService<SubscriberStore>());
        builder.Services.AddSingleton<DeviceResolver>();
        return builder;
    }
}
