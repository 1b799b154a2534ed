using CamaraQos.Controller.Camara;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Agents;

public static class AgentInventory
{
    /// <summary>
    /// The gateway's LAN device with this MAC, its IPv4 entry first (a dual-stack device has one per
    /// address); null when it is not connected. How resources bound to a device follow it across DHCP.
    /// </summary>
    public static LanDevice? ByMac(this AgentView agent, string mac)
    {
        LanDevice? any = null;
        foreach (var d in agent.Inventory)
        {
            if (string.Equals(d.Mac, mac, StringComparison.OrdinalIgnoreCase))
            {
                if (IpSyntax.IsIpv4(d.Ip))
                {
                    return d;
                }
                any ??= d;
            }
        }
        return any;
    }
}
