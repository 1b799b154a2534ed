namespace CamaraQos.Agent.Measurement;

/// <summary>Where a packet was captured; decides which RTT half it may yield (docs/ARCHITECTURE.md §6).</summary>
public enum CaptureSide : byte
{
    /// <summary>A LAN interface of the gateway: only the device's echoes are sampled (gateway↔device).</summary>
    Lan,
    /// <summary>The WAN interface: only the server's echoes are sampled (gateway↔server).</summary>
    Wan,
    /// <summary>One capture point (a pcap file, one interface): both halves, labelled by who echoed.</summary>
    Single,
}

/// <summary>The half of the end-to-end path an RTT sample covers, seen from the capture point.</summary>
public enum RttHalf : byte
{
    /// <summary>Capture point ↔ device (the device echoed).</summary>
    Lan,
    /// <summary>Capture point ↔ server (the server echoed).</summary>
    Wan,
}

/// <summary>How an RTT sample was matched.</summary>
public enum RttMethod : byte
{
    /// <summary>TSecr echoing a TSval seen earlier (RFC 7323 §4, as pping does).</summary>
    Timestamp,
    /// <summary>The first ACK covering a data segment's end (no timestamps; Karn's rule applies).</summary>
    SequenceAck,
}

/// <summary>The link layer a frame starts with (pcap LINKTYPE_ETHERNET = 1, LINKTYPE_RAW = 101).</summary>
public enum LinkLayer : byte
{
    Ethernet,
    RawIp,
}
