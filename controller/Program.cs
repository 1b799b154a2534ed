using CamaraQos.Controller.Admin;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Auth;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.HomeDevicesQod;
using CamaraQos.Controller.Identity;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.OpenApi;
using CamaraQos.Controller.QosProfiles;
using CamaraQos.Controller.QosProvisioning;
using CamaraQos.Controller.QualityOnDemand;
using CamaraQos.Controller.QualityOnDemandV0;
using CamaraQos.Controller.Sandbox;
using CamaraQos.Controller.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8080");

builder.AddCamaraCommon();
builder.AddStorage();
builder.AddCamaraAuth();
builder.AddIdentity();
builder.AddAgents();
builder.AddNotifications();
builder.AddQosProfiles();
builder.AddQualityOnDemand();
builder.AddQualityOnDemandV0();
builder.AddQosProvisioning();
builder.AddHomeDevicesQod();
builder.AddSandbox();
builder.AddCamaraOpenApi();

var app = builder.Build();
app.UseCamaraCommon();
app.MapAuthorizationServer();
app.MapAdminApi();
app.MapSubscribersAdminApi();
app.MapQosProfilesApi();
app.MapQualityOnDemandApi();
app.MapQualityOnDemandV0Api();
app.MapQosProvisioningApi();
app.MapHomeDevicesQodApi();
app.MapCamaraOpenApi();
app.Run();

public partial class Program;
