using CamaraQos.Controller.Admin;
using CamaraQos.Controller.ApplicationProfiles;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Auth;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.ConnectivityInsights;
using CamaraQos.Controller.Health;
using CamaraQos.Controller.HomeDevicesQod;
using CamaraQos.Controller.Hosting;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.InsightsSubscriptions;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.Observability;
using CamaraQos.Controller.OpenApi;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Controller.QosProvisioning;
using CamaraQos.Controller.QualityOnDemand;
using CamaraQos.Controller.QualityOnDemandV0;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Storage;
using CamaraQos.Controller.Telemetry;

// A configuration that cannot work ends the start with one line naming the key (exit code 2), not a crash.
return StartupFailure.ExitCodeOf(() => Run(args));

static void Run(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddConfigFile(args);
    builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8080");

    builder.AddCamaraCommon();
    builder.AddObservability();
    builder.AddHealth();
    builder.AddStorage();
    builder.AddCamaraAuth();
    builder.AddIdentity();
    builder.AddAgents();
    builder.AddTelemetry();
    builder.AddNotifications();
    builder.AddQosProfiles();
    builder.AddQualityOnDemand();
    builder.AddQualityOnDemandV0();
    builder.AddQosProvisioning();
    builder.AddApplicationProfiles();
    builder.AddConnectivityInsights();
    builder.AddInsightsSubscriptions();
    builder.AddHomeDevicesQod();
    builder.AddSandbox();
    builder.AddCamaraOpenApi();

    var app = builder.Build();
    app.UseCamaraCommon();
    app.UseObservability();
    app.MapHealth();
    app.MapAuthorizationServer();
    app.MapAdminApi();
    app.MapSubscribersAdminApi();
    app.MapFlowsAdminApi();
    app.MapQosProfilesApi();
    app.MapQualityOnDemandApi();
    app.MapQualityOnDemandV0Api();
    app.MapQosProvisioningApi();
    app.MapApplicationProfilesApi();
    app.MapConnectivityInsightsApi();
    app.MapInsightsSubscriptionsApi();
    app.MapHomeDevicesQodApi();
    app.MapCamaraOpenApi();
    app.Run();
}

public partial class Program;
