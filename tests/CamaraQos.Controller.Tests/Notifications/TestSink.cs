using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed record ReceivedRequest(string Method, string Path, string? ContentType, string? Authorization, string Body);

/// <summary>A real HTTP sink (Kestrel on 127.0.0.1) that records every request and answers scripted statuses.</summary>
public sealed class TestSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedRequest> _received = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly ConcurrentQueue<int> _statuses = new();

    private TestSink(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public string Url(string host = "127.0.0.1") => $"http://{host}:{Port}/events";

    /// <summary>Statuses for the next requests, in order; afterwards the sink answers 204.</summary>
    public int AlwaysStatus { get; set; } = 204;

    public void AnswerNext(params int[] statuses) => Array.ForEach(statuses, _statuses.Enqueue);

    public static async Task<TestSink> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        TestSink? sink = null;
        app.MapPost("/events", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            await sink!._received.Writer.WriteAsync(new ReceivedRequest(
                request.Method, request.Path, request.ContentType, request.Headers.Authorization.FirstOrDefault(), body));
            return Results.StatusCode(sink._statuses.TryDequeue(out var status) ? status : sink.AlwaysStatus);
        });
        await app.StartAsync();
        sink = new TestSink(app, new Uri(app.Urls.First()).Port);
        return sink;
    }

    /// <summary>A loopback port nothing listens on (yet): connections to it are refused.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task<ReceivedRequest> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        return await _received.Reader.ReadAsync(cts.Token);
    }

    public bool TryTake(out ReceivedRequest? request) => _received.Reader.TryRead(out request);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
