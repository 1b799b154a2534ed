using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CamaraQos.Controller.Tests.QualityOnDemand;

/// <summary>A real HTTP sink on 127.0.0.1 that records every notification it receives.</summary>
public sealed class SinkRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<(string? Authorization, string? ContentType, JsonElement Body)> Received { get; } = new();

    private SinkRecorder(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<SinkRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var recorder = new SinkRecorder(app);
        app.MapPost("/sink", async (HttpRequest request) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            recorder.Received.Enqueue((request.Headers.Authorization.ToString(), request.ContentType, body));
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        recorder.Url = address + "/sink";
        return recorder;
    }

    public IEnumerable<JsonElement> EventsFor(Guid sessionId) =>
        Received.Select(r => r.Body).Where(b => b.GetProperty("data").GetProperty("sessionId").GetGuid() == sessionId);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
