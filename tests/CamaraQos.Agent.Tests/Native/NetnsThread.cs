using Tmds.Linux;

namespace CamaraQos.Agent.Tests.Native;

/// <summary>Runs code on a fresh thread that has joined a named network namespace (setns(2), ip-netns(8)).</summary>
public static class NetnsThread
{
    public static T Run<T>(string ns, Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/run/netns/{ns}");
                if (LibC.setns((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
                {
                    throw new IOException($"setns({ns}) failed: errno {LibC.errno}");
                }
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? result : throw new InvalidOperationException($"in namespace {ns}: {error.Message}", error);
    }
}
