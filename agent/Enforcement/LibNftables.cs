using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static CamaraQos.Agent.Native.Nftables.Libnftables;

namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// libnftables in the agent's own process: no <c>nft</c> process per change. A context is not thread-safe and
/// the network namespace is a property of the thread, so every call runs on one dedicated thread that owns
/// the context (and, for tests, has entered a named namespace with setns(2)). When a caller gives up on a call
/// (its token is cancelled: the timeout of <see cref="KernelApplier"/>), that thread is abandoned to its hung
/// call and the next call gets a fresh thread and context.
/// </summary>
public sealed class LibNftables : INftables, IDisposable
{
    private readonly string? _netns;
    private readonly Lock _lock = new();
    private Worker? _worker;

    /// <param name="netns">A namespace created by <c>ip netns add</c>, entered through /var/run/netns (ip-netns(8)).</param>
    public LibNftables(string? netns = null)
    {
        _netns = netns;
    }

    public async Task<NftResult> RunAsync(string commands, bool json, CancellationToken ct)
    {
        Worker worker;
        lock (_lock)
        {
            worker = _worker ??= new Worker(_netns);
        }
        var call = new Call(commands, json);
        worker.Enqueue(call);
        using var abandon = ct.Register(() => Abandon(worker, call));
        return await call.Result.Task.WaitAsync(ct);
    }

    /// <summary>A call the caller gave up on while it ran: its thread may never come back, so replace it.</summary>
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

    private sealed class Call(string commands, bool json)
    {
        public string Commands => commands;
        public bool Json => json;
        public volatile bool Started;
        public TaskCompletionSource<NftResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Worker : IDisposable
    {
        private readonly BlockingCollection<Call> _calls = [];

        public Worker(string? netns)
        {
            new Thread(() => Loop(netns)) { IsBackground = true, Name = "libnftables" }.Start();
        }

        public void Enqueue(Call call)
        {
            try
            {
                _calls.Add(call);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                call.Result.TrySetException(new InvalidOperationException("libnftables worker abandoned"));
            }
        }

        public void Dispose() => _calls.CompleteAdding();

        private void Loop(string? netns)
        {
            string? failure = netns is null ? null : Enter(netns);
            var ctx = failure is null ? nft_ctx_new(NFT_CTX_DEFAULT) : 0;
            failure ??= ctx == 0 ? "nft_ctx_new failed" : null;
            try
            {
                if (ctx != 0 && (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0))
                {
                    failure = "nft_ctx_buffer_output/error failed";
                }
                foreach (var call in _calls.GetConsumingEnumerable())
                {
                    call.Started = true;
                    call.Result.TrySetResult(failure is null ? Run(ctx, call) : new NftResult(-1, "", failure));
                }
            }
            finally
            {
                if (ctx != 0)
                {
                    nft_ctx_free(ctx);
                }
            }
        }

        private static NftResult Run(nint ctx, Call call)
        {
            var flags = nft_ctx_output_get_flags(ctx);
            nft_ctx_output_set_flags(ctx, call.Json ? flags | NFT_CTX_OUTPUT_JSON : flags & ~NFT_CTX_OUTPUT_JSON);
            var rc = nft_run_cmd_from_buffer(ctx, call.Commands);
            var output = Marshal.PtrToStringUTF8(nft_ctx_get_output_buffer(ctx)) ?? "";
            var error = Marshal.PtrToStringUTF8(nft_ctx_get_error_buffer(ctx)) ?? "";
            return new NftResult(rc, output, error);
        }

        /// <summary>setns(2) into a named network namespace, for this thread only.</summary>
        private static string? Enter(string netns)
        {
            var path = "/var/run/netns/" + netns;
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            return Tmds.Linux.LibC.setns((int)handle.DangerousGetHandle(), Tmds.Linux.LibC.CLONE_NEWNET) == 0
                ? null
                : $"setns({path}) failed: errno {Tmds.Linux.LibC.errno}";
        }
    }
}
