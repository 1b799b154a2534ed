using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Notifications;

/// <summary>
/// The SSRF guard at send time (<see cref="SocketsHttpHandler.ConnectCallback"/>): the host name is
/// resolved here and only the addresses that pass <see cref="SinkAddress"/> are dialled, so a name that
/// resolves (or is later re-pointed, DNS rebinding) to a private address is refused.
/// </summary>
public sealed class SinkConnector(IOptionsMonitor<NotificationOptions> options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var resolved = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        var allowed = options.CurrentValue.AllowPrivateSinks
            ? resolved
            : Array.FindAll(resolved, a => !SinkAddress.IsPrivate(a));
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(
                $"Sink host {endpoint.Host} resolves only to loopback, private or link-local addresses; refused (Notifications:AllowPrivateSinks is off).");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
