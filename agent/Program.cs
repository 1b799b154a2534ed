var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSystemd();
builder.Build().Run();
