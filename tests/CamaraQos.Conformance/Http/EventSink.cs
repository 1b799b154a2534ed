using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace CamaraQos.Conformance.Http;

/// <summary>An event the provider posted to the sink: its headers and JSON body.</summary>
public sealed record ReceivedEvent(IReadOnlyDictionary<string, string> Headers, JsonNode? Body, string Path);

/// <summary>
/// The sink a scenario's <c>sink</c> points at: an HTTP listener that answers 204 to every POST and
/// keeps what it received. Each scenario gets its own path under the listener (<see cref="NewAddress"/>),
/// so events are told apart without relying on their content.
/// </summary>
public sealed class EventSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly string _publicUrl;
    private readonly Task _loop;

    public EventSink(SinkProfile profile)
    {
        var uri = new Uri(profile.Listen);
        // Port 0: a free port of this machine, for a provider on the same host (the sandbox in CI).
        var port = uri.Port == 0 ? FreePort() : uri.Port;
        var listen = $"{uri.Scheme}://{uri.Host}:{port}{uri.AbsolutePath.TrimEnd('/')}/";
        _listener.Prefixes.Add(listen);
        _listener.Start();
        _publicUrl = (profile.PublicUrl ?? listen).TrimEnd('/');
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>True for an address this sink handed out.</summary>
    public bool Owns(string address) => address.StartsWith(_publicUrl + "/events/", StringComparison.Ordinal);

    /// <summary>A fresh address under the sink for one scenario.</summary>
    public string NewAddress() => $"{_publicUrl}/events/{Guid.NewGuid():N}";

    /// <summary>Waits (bounded) until an event for <paramref name="address"/> matching <paramref name="match"/> arrived.</summary>
    public async Task<ReceivedEvent?> WaitAsync(string address, Func<ReceivedEvent, bool> match, TimeSpan bound)
    {
        var path = new Uri(address).AbsolutePath;
        var deadline = DateTimeOffset.UtcNow + bound;
        while (true)
        {
            var found = _events.FirstOrDefault(e => e.Path == path && match(e));
            if (found is not null)
            {
                return found;
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }
            await _arrived.WaitAsync(left);
        }
    }

    public IReadOnlyList<ReceivedEvent> At(string address) => [.. _events.Where(e => e.Path == new Uri(address).AbsolutePath)];

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var text = await reader.ReadToEndAsync();
            JsonNode? body = null;
            try
            {
                body = text.Length > 0 ? JsonNode.Parse(text) : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Kept with a null body: the schema check then says the event was not JSON.
            }
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            _events.Enqueue(new ReceivedEvent(headers, body, context.Request.Url!.AbsolutePath));
            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
            context.Response.Close();
            _arrived.Release();
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop.ConfigureAwait(false);
    }
}
