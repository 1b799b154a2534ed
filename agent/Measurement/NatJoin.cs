namespace CamaraQos.Agent.Measurement;

/// <summary>One TCP connection seen from the device: its address and port, the server's address and port.</summary>
internal readonly record struct Connection(UInt128 Device, ushort DevicePort, UInt128 Server, ushort ServerPort);

/// <summary>
/// Finds the LAN sighting of a connection seen on the WAN. Without NAT (IPv6, routed IPv4) both sightings
/// have the same endpoints. With masquerading the WAN sighting has the gateway's address, but Linux keeps
/// the device's source port whenever that tuple is still free (nf_nat_core.c, get_unique_tuple: "if the
/// original tuple is in range and unique, use it"), so (server, server port, device port) still names
/// the connection. When two LAN devices share that triple the port was remapped for one of them and the
/// WAN sighting stays unjoined: under the gateway's own address, never under the wrong device.
/// </summary>
internal sealed class NatJoin
{
    private readonly Dictionary<Connection, bool> exact = [];
    private readonly Dictionary<(UInt128 Server, ushort ServerPort, ushort DevicePort), (UInt128 Device, bool Active, bool Ambiguous)> byPorts = [];

    public NatJoin(ReadOnlySpan<FlowState> slots)
    {
        foreach (var flow in slots)
        {
            if (!flow.InUse || flow.Key.Side != CaptureSide.Lan)
            {
                continue;
            }
            var c = Connection(flow);
            exact[c] = flow.Active;
            var ports = (c.Server, c.ServerPort, c.DevicePort);
            byPorts[ports] = byPorts.TryGetValue(ports, out var seen) && (seen.Ambiguous || seen.Device != c.Device)
                ? (seen.Device, false, true)
                : (c.Device, flow.Active, false);
        }
    }

    /// <summary>The device endpoint is the one the engine decided on when the flow started.</summary>
    public static Connection Connection(FlowState flow)
    {
        var k = flow.Key;
        return flow.DeviceIsLow
            ? new Connection(k.LowAddress, k.LowPort, k.HighAddress, k.HighPort)
            : new Connection(k.HighAddress, k.HighPort, k.LowAddress, k.LowPort);
    }

    /// <param name="lanActive">Whether the LAN sighting saw packets this interval (then it carries the counts).</param>
    public bool TryFindLanSighting(Connection wan, out UInt128 device, out bool lanActive)
    {
        if (exact.TryGetValue(wan, out lanActive))
        {
            device = wan.Device;
            return true;
        }
        if (byPorts.TryGetValue((wan.Server, wan.ServerPort, wan.DevicePort), out var lan) && !lan.Ambiguous)
        {
            (device, lanActive) = (lan.Device, lan.Active);
            return true;
        }
        (device, lanActive) = (wan.Device, false);
        return false;
    }
}
