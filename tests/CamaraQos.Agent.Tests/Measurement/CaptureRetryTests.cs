using CamaraQos.Agent.Measurement;
using CamaraQos.Agent.Tests.Native;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>
/// An interface that is not there is a counted capture error, not an exception, and a later try opens it
/// once it exists; an interface that disappears while captured is counted too and opened again when back.
/// Inside a namespace this test creates, so no host interface is touched.
/// </summary>
public class CaptureRetryTests
{
    [Fact]
    public async Task AMissingInterfaceIsCountedAsAnErrorAndOpenedOnceItExists()
    {
        Privileged.Require("Capturing with libpcap in a network namespace");
        await using var ns = await NetNs.CreateAsync("cqx-msr-cap-");
        using var capture = new LiveCapture(new MeasurementEngine(new MeasurementOptions()));

        var missing = NetnsThread.Run(ns.Name, () => (capture.TryStart("cap0", CaptureSide.Lan, out var error), error));
        Assert.False(missing.Item1);
        Assert.Contains("cap0", missing.error, StringComparison.Ordinal);
        Assert.Equal(1, capture.Counters().Errors);

        await ns.AddVethAsync("cap0", "cap1");
        Assert.True(NetnsThread.Run(ns.Name, () => capture.TryStart("cap0", CaptureSide.Lan, out _)));
        Assert.True(capture.IsCapturing("cap0"));

        await ns.CheckAsync("ip", "link", "del", "cap0");
        await Until(() => !capture.IsCapturing("cap0"), "the capture on a deleted interface to fail");
        Assert.Equal(2, capture.Counters().Errors);

        await ns.AddVethAsync("cap0", "cap1");
        Assert.True(NetnsThread.Run(ns.Name, () => capture.TryStart("cap0", CaptureSide.Lan, out _)));
        Assert.Equal(2, capture.Counters().Errors);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
