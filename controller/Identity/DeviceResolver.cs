using System.Net;
using System.Net.Sockets;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Shared;

namespace CamaraQos.Controller.Identity;

/// <summary>The LAN device a request is about, on the gateway that serves it.</summary>
public sealed record ResolvedDevice(AgentView Agent, string LanIp, string? Mac, Device? Identifier, string? SubscriberId)
{
    public string AgentId => Agent.AgentId;
}

/// <summary>
/// docs/ARCHITECTURE.md §3 resolution: ipv4 public → gateway by WAN address, private → its LAN device;
/// ipv6 → gateway by delegated prefix; phone number → subscriber → gateway (+ bound MAC → current LAN IP).
/// Unknown or ambiguous → 404 IDENTIFIER_NOT_FOUND; known but not servable → 422 SERVICE_NOT_APPLICABLE.
/// </summary>
public sealed class DeviceResolver(IAgentDirectory agents, ISubscriberDirectory subscribers)
{
    /// <summary>Applies CAMARA's 2-/3-legged rules, then resolves. Exactly one of the results is set.</summary>
    public async Task<(ResolvedDevice? Device, CamaraError? Error)> ResolveAsync(Caller caller, Device? device, CancellationToken ct) =>
        await ResolveAsync(caller, device, requireOnline: true, ct);

    /// <param name="requireOnline">False for look-ups (retrieve sessions), which work while the gateway is down.</param>
    public async Task<(ResolvedDevice? Device, CamaraError? Error)> ResolveAsync(Caller caller, Device? device, bool requireOnline, CancellationToken ct)
    {
        var (resolved, error) = await ResolveAnyAsync(caller, device, ct);
        return resolved is null || !requireOnline || resolved.Agent.Online
            ? (resolved, error)
            : (null, CamaraError.ServiceNotApplicable("The device's home gateway is offline."));
    }

    private async Task<(ResolvedDevice? Device, CamaraError? Error)> ResolveAnyAsync(Caller caller, Device? device, CancellationToken ct)
    {
        if (caller.IsThreeLegged)
        {
            if (device is not null)
            {
                return (null, CamaraError.UnnecessaryIdentifier());
            }
            var subscriber = await subscribers.FindAsync(caller.SubscriberId!, ct);
            return subscriber is null
                ? (null, CamaraError.IdentifierNotFound("The subscriber of the access token is not known."))
                : FromSubscriber(subscriber, identifier: null);
        }
        if (device is null)
        {
            return (null, CamaraError.MissingIdentifier());
        }
        if (DeviceSyntax.Validate(device) is { } invalid)
        {
            return (null, invalid);
        }
        // One identifier is used and echoed back (DeviceResponse has at most one property).
        if (device.Ipv4Address is { } v4)
        {
            return FromIpv4(v4, device with { PhoneNumber = null, NetworkAccessIdentifier = null, Ipv6Address = null });
        }
        if (device.Ipv6Address is { } v6)
        {
            return FromIpv6(IPAddress.Parse(v6), device with { PhoneNumber = null, NetworkAccessIdentifier = null, Ipv4Address = null });
        }
        if (device.PhoneNumber is { } phone)
        {
            var subscriber = await subscribers.FindByPhoneNumberAsync(phone, ct);
            return subscriber is null
                ? (null, CamaraError.IdentifierNotFound())
                : FromSubscriber(subscriber, new Device(phone, null, null, null));
        }
        // CAMARA r3.4 Device NOTE2: networkAccessIdentifier is in the schema for the future only.
        return (null, CamaraError.UnsupportedIdentifier("networkAccessIdentifier is not supported; use phoneNumber, ipv4Address or ipv6Address."));
    }

    private (ResolvedDevice?, CamaraError?) FromIpv4(DeviceIpv4Address v4, Device identifier)
    {
        var wan = IPAddress.Parse(v4.PublicAddress!);
        var candidates = agents.All().Where(a => a.Wan.Ipv4.Any(w => IPAddress.TryParse(w, out var x) && x.Equals(wan))).ToList();
        if (candidates.Count != 1)
        {
            return (null, CamaraError.IdentifierNotFound(candidates.Count == 0
                ? "No gateway has that public address."
                : "The public address is shared by several gateways."));
        }
        var agent = candidates[0];
        if (v4.PrivateAddress is { } privateAddress)
        {
            var lan = agent.Inventory.FirstOrDefault(d => d.Ip == privateAddress);
            if (lan is null && !InLanPrefixes(agent, IPAddress.Parse(privateAddress)))
            {
                return (null, CamaraError.IdentifierNotFound("The private address is not a device of that gateway."));
            }
            return Servable(new ResolvedDevice(agent, privateAddress, lan?.Mac, identifier, null));
        }
        // publicPort alone: the NAT mapping is not reported by agents yet, so only a gateway with a
        // single LAN device resolves unambiguously.
        var ipv4Devices = agent.Inventory.Where(d => IpSyntax.IsIpv4(d.Ip)).ToList();
        return ipv4Devices.Count == 1
            ? Servable(new ResolvedDevice(agent, ipv4Devices[0].Ip, ipv4Devices[0].Mac, identifier, null))
            : (null, CamaraError.IdentifierNotFound("The public port does not identify a single device behind that gateway; provide privateAddress."));
    }

    private (ResolvedDevice?, CamaraError?) FromIpv6(IPAddress address, Device identifier)
    {
        var candidates = agents.All().Where(a => a.Wan.Ipv6Prefixes.Any(p => Contains(p, address))).ToList();
        if (candidates.Count != 1)
        {
            return (null, CamaraError.IdentifierNotFound(candidates.Count == 0
                ? "No gateway has a prefix containing that address."
                : "The address is in the prefix of several gateways."));
        }
        var lan = candidates[0].Inventory.FirstOrDefault(d => IPAddress.TryParse(d.Ip, out var x) && x.Equals(address));
        return Servable(new ResolvedDevice(candidates[0], address.ToString(), lan?.Mac, identifier, null));
    }

    private (ResolvedDevice?, CamaraError?) FromSubscriber(Subscriber subscriber, Device? identifier)
    {
        var agent = agents.Find(subscriber.AgentId);
        if (agent is null)
        {
            return (null, CamaraError.ServiceNotApplicable("The subscriber's home gateway has never connected."));
        }
        if (subscriber.DeviceMac is null)
        {
            return (null, CamaraError.ServiceNotApplicable("No device is bound to this subscriber; identify the device by its IP address."));
        }
        var lan = agent.ByMac(subscriber.DeviceMac);
        return lan is null
            ? (null, CamaraError.ServiceNotApplicable("The subscriber's device is not connected to its home gateway."))
            : Servable(new ResolvedDevice(agent, lan.Ip, lan.Mac, identifier, subscriber.SubscriberId));
    }

    private static (ResolvedDevice?, CamaraError?) Servable(ResolvedDevice device) => (device, null);

    private static bool InLanPrefixes(AgentView agent, IPAddress address) => agent.LanPrefixes.Any(p => Contains(p, address));

    /// <summary>True when <paramref name="cidr"/> (e.g. 2001:db8:1::/56) contains the address.</summary>
    public static bool Contains(string cidr, IPAddress address) =>
        IPNetwork.TryParse(cidr, out var network) && network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);
}
