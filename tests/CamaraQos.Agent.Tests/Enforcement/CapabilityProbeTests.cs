using CamaraQos.Agent.Enforcement;
using Xunit;

namespace CamaraQos.Agent.Tests.Enforcement;

public class CapabilityProbeTests
{
    [Fact]
    public async Task AProbeRemovesTheNamespaceLeftByAProcessKilledMidProbeAndOnlyThatOne()
    {
        var netns = Directory.CreateTempSubdirectory("cq-netns-");
        try
        {
            // PID 0 never names a process that left a namespace behind; /proc/0 does not exist.
            var orphan = "camaraqos-probe-0-12345";
            var live = $"camaraqos-probe-{Environment.ProcessId}-1";
            var other = "someone-elses-namespace";
            foreach (var name in new[] { orphan, live, other })
            {
                await File.WriteAllTextAsync(Path.Combine(netns.FullName, name), "", TestContext.Current.CancellationToken);
            }
            var runner = new RecordingRunner();

            await new CapabilityProbe(runner, netnsDirectory: netns.FullName).ProbeAsync(TestContext.Current.CancellationToken);

            var deleted = runner.Drain().Where(c => c.File == "ip" && c.Args.Take(2).SequenceEqual(["netns", "del"])).Select(c => c.Args[2]).ToList();
            Assert.Contains(orphan, deleted);
            Assert.DoesNotContain(live, deleted);
            Assert.DoesNotContain(other, deleted);
            // And its own namespace, in its finally.
            Assert.Single(deleted, n => n != orphan && n.StartsWith($"camaraqos-probe-{Environment.ProcessId}-", StringComparison.Ordinal));
        }
        finally
        {
            netns.Delete(recursive: true);
        }
    }
}
