using CamaraQos.Agent.Native;
using CamaraQos.Agent.Tests.Control;
using CamaraQos.Shared;
using CamaraQos.TestSupport;
using Xunit;

namespace CamaraQos.Agent.Tests.Native;

/// <summary>
/// The rtnetlink reader against a real kernel, in a namespace this test creates. The reader works on the
/// calling thread's network namespace, so it runs on a dedicated thread that setns(2)s into the test
/// namespace and then ends (a thread's namespace dies with it): the real in-process code path, no child
/// process. The CLI path (`ip netns exec … camaraqos-agent --print-inventory`) is covered by LabTests.
/// </summary>
public class InventoryNamespaceTests
{
    [Fact]
    public async Task TheReaderFindsWanAddressesLanPrefixesAndThePermanentNeighbour()
    {
        Privileged.Require("Reading rtnetlink in a network namespace");
        var ns = "cqc-inv-" + Guid.NewGuid().ToString("N")[..6];
        try
        {
            foreach (var step in Setup(ns))
            {
                (await Command.RunAsync("ip", step)).EnsureSuccess("ip " + string.Join(' ', step));
            }

            var snapshot = NetnsThread.Run(ns, () => NetworkReader.Read("wan0", ["lan0"]));

            Assert.Equal(["10.213.140.1"], snapshot.WanIpv4);
            Assert.Equal(["2001:db8:140::/64"], snapshot.WanIpv6Prefixes);
            Assert.Equal(["10.213.141.0/24"], snapshot.LanPrefixes);
            Assert.Equal(
            [
                new LanDevice("10.213.141.10", "02:00:00:00:01:10", "lan0", null),
                new LanDevice("10.213.141.12", "02:00:00:00:01:12", "lan0", null),
            ], snapshot.Inventory);
        }
        finally
        {
            await Command.RunAsync("ip", ["netns", "del", ns]);
        }
    }

    private static IEnumerable<string[]> Setup(string ns) =>
    [
        ["netns", "add", ns],
        ["-n", ns, "link", "add", "wan0", "type", "veth", "peer", "name", "lan0"],
        ["-n", ns, "link", "set", "wan0", "up"],
        ["-n", ns, "link", "set", "lan0", "up"],
        ["-n", ns, "addr", "add", "10.213.140.1/24", "dev", "wan0"],
        ["-n", ns, "addr", "add", "2001:db8:140::1/64", "dev", "wan0", "nodad"],
        ["-n", ns, "addr", "add", "10.213.141.1/24", "dev", "lan0"],
        ["-n", ns, "neigh", "add", "10.213.141.10", "lladdr", "02:00:00:00:01:10", "dev", "lan0", "nud", "permanent"],
        ["-n", ns, "neigh", "add", "10.213.141.12", "lladdr", "02:00:00:00:01:12", "dev", "lan0", "nud", "stale"],
        ["-n", ns, "neigh", "add", "10.213.141.11", "dev", "lan0", "nud", "failed"],
        ["-n", ns, "neigh", "add", "10.213.140.2", "lladdr", "02:00:00:00:00:02", "dev", "wan0", "nud", "permanent"],
    ];
}
