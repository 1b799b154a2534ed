using System.Runtime.InteropServices;
using CamaraQos.Agent.Native.Linux;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace CamaraQos.Agent.Native;

/// <summary>Handles one message of a netlink dump: its type and the payload after the header.</summary>
internal delegate void NetlinkMessageHandler(ushort type, ReadOnlySpan<byte> payload);

/// <summary>
/// A NETLINK_ROUTE socket for request/dump exchanges (netlink(7), rtnetlink(7)). It lives in the network
/// namespace of the thread that opened it. One receive buffer is reused for every dump.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    // Dump parts are at most 32 KiB (NLMSG_GOODSIZE); a bigger buffer never truncates (MSG_TRUNC).
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly int _fd;
    private uint _seq;

    private NetlinkSocket(int fd) => _fd = fd;

    /// <param name="receiveTimeout">When set, a receive that waits longer fails (SO_RCVTIMEO): a kernel that never
    /// answers cannot hold the calling thread for ever.</param>
    public static NetlinkSocket OpenRoute(TimeSpan? receiveTimeout = null)
    {
        var fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, netlink.NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Error("socket(AF_NETLINK)");
        }
        var addr = new sockaddr_nl { nl_family = (ushort)AF_NETLINK };
        if (bind(fd, (sockaddr*)&addr, (uint)sizeof(sockaddr_nl)) < 0)
        {
            var error = Error("bind(AF_NETLINK)");
            close(fd);
            throw error;
        }
        // Errors carry the kernel's own message (extack: "Change operation not supported by specified qdisc"),
        // and do not echo the request back. Both are best effort: older kernels answer with the errno alone.
        var on = 1;
        setsockopt(fd, netlink.SOL_NETLINK, netlink.NETLINK_EXT_ACK, &on, sizeof(int));
        setsockopt(fd, netlink.SOL_NETLINK, netlink.NETLINK_CAP_ACK, &on, sizeof(int));
        if (receiveTimeout is { } limit)
        {
            var tv = new timeval { tv_sec = (nint)limit.TotalSeconds, tv_usec = limit.Microseconds };
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, (uint)sizeof(timeval));
        }
        return new NetlinkSocket(fd);
    }

    /// <summary>
    /// Sends one request (NLM_F_ACK is added) and waits for its acknowledgement: 0, or the errno the kernel
    /// answered with and its extack message when it gave one.
    /// </summary>
    public (int Errno, string? Message) Request(NetlinkMessage message)
    {
        var seq = ++_seq;
        var bytes = message.Bytes;
        var header = MemoryMarshal.Read<nlmsghdr>(bytes);
        header.nlmsg_seq = seq;
        header.nlmsg_flags |= netlink.NLM_F_ACK;
        MemoryMarshal.Write(bytes, in header);
        Send(bytes);
        while (true)
        {
            var batch = _buffer.AsSpan(0, Receive());
            var offset = 0;
            while (batch.Length - offset >= netlink.NLMSG_HDRLEN)
            {
                var h = MemoryMarshal.Read<nlmsghdr>(batch[offset..]);
                var length = (int)h.nlmsg_len;
                if (length < netlink.NLMSG_HDRLEN || length > batch.Length - offset)
                {
                    throw new IOException($"netlink: malformed message length {length}");
                }
                var payload = batch.Slice(offset + netlink.NLMSG_HDRLEN, length - netlink.NLMSG_HDRLEN);
                offset += netlink.NLMSG_ALIGN(length);
                if (h.nlmsg_seq == seq && h.nlmsg_type == netlink.NLMSG_ERROR)
                {
                    var code = MemoryMarshal.Read<int>(payload);
                    return code == 0 ? (0, null) : (-code, ExtAckMessage(h.nlmsg_flags, payload));
                }
            }
        }
    }

    /// <summary>struct nlmsgerr { int error; struct nlmsghdr msg; } then, with NLM_F_ACK_TLVS, attributes.</summary>
    private static string? ExtAckMessage(ushort flags, ReadOnlySpan<byte> payload)
    {
        if ((flags & netlink.NLM_F_ACK_TLVS) == 0)
        {
            return null;
        }
        var echoed = MemoryMarshal.Read<nlmsghdr>(payload[sizeof(int)..]);
        var skip = sizeof(int) + ((flags & netlink.NLM_F_CAPPED) != 0 ? netlink.NLMSG_HDRLEN : netlink.NLMSG_ALIGN((int)echoed.nlmsg_len));
        if (skip >= payload.Length || !RtAttributes.TryFind(payload[skip..], netlink.NLMSGERR_ATTR_MSG, out var text))
        {
            return null;
        }
        var end = text.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
    }

    /// <summary>Sends <paramref name="type"/> with NLM_F_DUMP and hands each answer to the handler.</summary>
    public void Dump<TBody>(ushort type, TBody body, NetlinkMessageHandler handler) where TBody : unmanaged
    {
        var seq = ++_seq;
        SendRequest(type, seq, body);
        while (true)
        {
            var received = Receive();
            if (ProcessBatch(_buffer.AsSpan(0, received), seq, handler))
            {
                return;
            }
        }
    }

    private void SendRequest<TBody>(ushort type, uint seq, TBody body) where TBody : unmanaged
    {
        var length = netlink.NLMSG_HDRLEN + netlink.NLMSG_ALIGN(sizeof(TBody));
        Span<byte> request = stackalloc byte[length];
        request.Clear();
        var header = new nlmsghdr
        {
            nlmsg_len = (uint)length,
            nlmsg_type = type,
            nlmsg_flags = netlink.NLM_F_REQUEST | netlink.NLM_F_DUMP,
            nlmsg_seq = seq,
        };
        MemoryMarshal.Write(request, in header);
        MemoryMarshal.Write(request[netlink.NLMSG_HDRLEN..], in body);
        Send(request);
    }

    private void Send(ReadOnlySpan<byte> request)
    {
        fixed (byte* p = request)
        {
            ssize_t sent;
            do
            {
                sent = send(_fd, p, request.Length, 0);
            }
            while (sent < 0 && errno == EINTR);
            if (sent < 0)
            {
                throw Error("send(AF_NETLINK)");
            }
        }
    }

    private int Receive()
    {
        fixed (byte* p = _buffer)
        {
            while (true)
            {
                ssize_t received = recv(_fd, p, _buffer.Length, 0);
                if (received >= 0)
                {
                    return (int)received;
                }
                if (errno != EINTR)
                {
                    throw Error("recv(AF_NETLINK)");
                }
            }
        }
    }

    /// <summary>Walks one datagram of messages; true once NLMSG_DONE (or an error) ends the dump.</summary>
    private static bool ProcessBatch(ReadOnlySpan<byte> batch, uint seq, NetlinkMessageHandler handler)
    {
        var offset = 0;
        while (batch.Length - offset >= netlink.NLMSG_HDRLEN)
        {
            var header = MemoryMarshal.Read<nlmsghdr>(batch[offset..]);
            var length = (int)header.nlmsg_len;
            if (length < netlink.NLMSG_HDRLEN || length > batch.Length - offset)
            {
                throw new IOException($"netlink: malformed message length {length}");
            }
            var payload = batch.Slice(offset + netlink.NLMSG_HDRLEN, length - netlink.NLMSG_HDRLEN);
            offset += netlink.NLMSG_ALIGN(length);
            if (header.nlmsg_seq != seq)
            {
                continue;
            }
            switch (header.nlmsg_type)
            {
                case netlink.NLMSG_DONE:
                    return true;
                case netlink.NLMSG_ERROR:
                    var code = MemoryMarshal.Read<int>(payload);
                    return code == 0 ? true : throw new IOException($"netlink: request failed, errno {-code}");
                case netlink.NLMSG_NOOP:
                    continue;
                default:
                    handler(header.nlmsg_type, payload);
                    break;
            }
        }
        return false;
    }

    private static IOException Error(string call) => new($"{call} failed: errno {errno}");

    public void Dispose() => close(_fd);
}
