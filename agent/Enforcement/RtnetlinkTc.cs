using System.Collections.Concurrent;
using CamaraQos.Agent.Native;
using CamaraQos.Agent.Native.Linux;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// tc objects over rtnetlink in the agent's own process: no tc(8) process per change or read-back. The calls
/// block in the kernel, so they run on one dedicated thread that owns the socket (and, for tests, has entered a
/// named namespace with setns(2): a netlink socket talks to the namespace it was opened in). When a caller
/// gives up on a call (its token is cancelled: the timeout of <see cref="KernelApplier"/>), that thread is
/// abandoned to its call, which its receive timeout ends, and the next call gets a fresh thread and socket.
/// </summary>
public sealed class RtnetlinkTc : ITrafficControl, IDisposable
{
    private readonly string? _netns;
    private readonly Lock _lock = new();
    private Worker? _worker;

    /// <param name="netns">A namespace created by <c>ip netns add</c>, entered through /var/run/netns (ip-netns(8)).</param>
    public RtnetlinkTc(string? netns = null) => _netns = netns;

    public Task<TcResult> ApplyAsync(IReadOnlyList<TcCommand> objects, CancellationToken ct) => RunAsync(reader =>
    {
        var links = Indexes(reader);
        foreach (var c in objects)
        {
            if (!links.TryGetValue(c.Object.Device, out var ifindex))
            {
                return new TcResult($"tc over rtnetlink: {c.Line}: no device {c.Object.Device}");
            }
            var (errno, message) = reader.Socket.Request(TcNetlinkCodec.Encode(c.Object, ifindex));
            if (errno != 0)
            {
                return Refusal(c.Line, errno, message);
            }
        }
        return TcResult.Done;
    }, ct);

    public Task<TcHeld> ReadAsync(IReadOnlyList<string> devices, CancellationToken ct) => RunAsync(reader =>
    {
        var links = Indexes(reader);
        var held = devices.Distinct().ToDictionary(d => d, _ => new List<string>(), StringComparer.Ordinal);
        var names = links.Where(l => held.ContainsKey(l.Key)).ToDictionary(l => l.Value, l => l.Key);
        reader.DumpQdiscs((type, payload) =>
        {
            if (type == pkt_sched.RTM_NEWQDISC && TcNetlinkCodec.Qdisc(payload, out var ifindex) is { } line && names.TryGetValue(ifindex, out var name))
            {
                held[name].Add(line);
            }
        });
        foreach (var (ifindex, name) in names)
        {
            reader.DumpClasses(ifindex, (type, payload) =>
            {
                if (type == pkt_sched.RTM_NEWTCLASS && TcNetlinkCodec.Class(payload) is { } line)
                {
                    held[name].Add(line);
                }
            });
        }
        return new TcHeld(held.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)[.. h.Value.Order(StringComparer.Ordinal)], StringComparer.Ordinal),
            Canonical: true);
    }, ct);

    public Task<TcResult> DeleteRootAsync(string device, CancellationToken ct) => RunAsync(reader =>
    {
        if (!Indexes(reader).TryGetValue(device, out var ifindex))
        {
            return TcResult.Done;   // no device, no tree
        }
        var (errno, message) = reader.Socket.Request(TcNetlinkCodec.DeleteRoot(ifindex));
        return errno == 0 ? TcResult.Done : Refusal($"qdisc del dev {device} root", errno, message);
    }, ct);

    /// <summary>
    /// The kernel's no in the style of tc's "Error: …" line. EOPNOTSUPP and friends for a request it does not
    /// know say netlink itself is refused here; the caller falls back to tc(8).
    /// </summary>
    private static TcResult Refusal(string line, int errno, string? message)
    {
        var text = $"tc over rtnetlink: {line}: {message ?? System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return errno is 95 or 93 or 97   // EOPNOTSUPP, EPROTONOSUPPORT, EAFNOSUPPORT
            ? throw new TcRefusedException(text)
            : new TcResult(text);
    }

    private static Dictionary<string, int> Indexes(RtnetlinkReader reader) =>
        reader.ReadLinks().ToDictionary(l => l.Value, l => l.Key, StringComparer.Ordinal);

    private async Task<T> RunAsync<T>(Func<RtnetlinkReader, T> body, CancellationToken ct)
    {
        Worker worker;
        lock (_lock)
        {
            worker = _worker ??= new Worker(_netns);
        }
        var call = new Call(reader => body(reader));
        worker.Enqueue(call);
        using var abandon = ct.Register(() => Abandon(worker, call));
        return (T)(await call.Result.Task.WaitAsync(ct))!;
    }

    /// <summary>A call the caller gave up on while it ran: its thread may not come back soon, so replace it.</summary>
    private void Abandon(Worker worker, Call call)
    {
        lock (_lock)
        {
            if (call.Started && !call.Result.Task.IsCompleted && _worker == worker)
            {
                _worker = new Worker(_netns);
                worker.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _worker?.Dispose();
        }
    }

    private sealed class Call(Func<RtnetlinkReader, object?> body)
    {
        public Func<RtnetlinkReader, object?> Body => body;
        public volatile bool Started;
        public TaskCompletionSource<object?> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Worker : IDisposable
    {
        private readonly BlockingCollection<Call> _calls = [];

        public Worker(string? netns)
        {
            new Thread(() => Loop(netns)) { IsBackground = true, Name = "rtnetlink-tc" }.Start();
        }

        public void Enqueue(Call call)
        {
            try
            {
                _calls.Add(call);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                call.Result.TrySetException(new InvalidOperationException("rtnetlink worker abandoned"));
            }
        }

        public void Dispose() => _calls.CompleteAdding();

        private void Loop(string? netns)
        {
            RtnetlinkReader? reader = null;
            string? failure = null;
            try
            {
                failure = netns is null ? null : Namespace.Enter(netns);
                // A receive that waits longer than any caller does ends the abandoned call with an error.
                reader = failure is null ? new RtnetlinkReader(NetlinkSocket.OpenRoute(2 * KernelApplier.CallTimeout)) : null;
            }
            catch (IOException e)
            {
                failure = e.Message;
            }
            try
            {
                foreach (var call in _calls.GetConsumingEnumerable())
                {
                    call.Started = true;
                    try
                    {
                        call.Result.TrySetResult(reader is null
                            ? throw new TcRefusedException($"rtnetlink: {failure}")
                            : call.Body(reader));
                    }
                    catch (Exception e) when (e is IOException or TcRefusedException)
                    {
                        call.Result.TrySetException(e);
                    }
                }
            }
            finally
            {
                reader?.Dispose();
            }
        }
    }
}

/// <summary>setns(2) into a named network namespace, for the calling thread only (a dedicated one).</summary>
internal static class Namespace
{
    public static string? Enter(string netns)
    {
        var path = "/var/run/netns/" + netns;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        return Tmds.Linux.LibC.setns((int)handle.DangerousGetHandle(), Tmds.Linux.LibC.CLONE_NEWNET) == 0
            ? null
            : $"setns({path}) failed: errno {Tmds.Linux.LibC.errno}";
    }
}
