using System.Net;
using System.Net.Sockets;

namespace CamaraQos.TestSupport;

/// <summary>
/// A loopback TCP relay in front of a server (a broker, a database). <see cref="KillConnections"/> resets every
/// relayed connection (RST, no goodbye), which is how a gateway losing its line looks to the broker;
/// <see cref="Cut"/> also resets every new one until <see cref="Restore"/>: the server is unreachable.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private readonly int _target;
    private bool _cut; // guarded by _sockets

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Resets every connection, and every new one until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        lock (_sockets)
        {
            _cut = true;
        }
        KillConnections();
    }

    public void Restore()
    {
        lock (_sockets)
        {
            _cut = false;
        }
    }

    public void KillConnections()
    {
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                Reset(socket);
            }
            _sockets.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var inbound = await _listener.AcceptSocketAsync(_stop.Token);
                var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await outbound.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
                lock (_sockets)
                {
                    // Checked under the lock Cut takes, so no connection accepted around a cut survives it.
                    if (_cut)
                    {
                        Reset(inbound);
                        Reset(outbound);
                        continue;
                    }
                    _sockets.Add(inbound);
                    _sockets.Add(outbound);
                }
                _ = PipeAsync(inbound, outbound);
                _ = PipeAsync(outbound, inbound);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Relay stopped.
        }
    }

    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static async Task PipeAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read));
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side was killed: the other goes too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        KillConnections();
        await _accepting;
        _stop.Dispose();
    }
}
