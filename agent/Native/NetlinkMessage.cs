using System.Runtime.InteropServices;
using CamaraQos.Agent.Native.Linux;

namespace CamaraQos.Agent.Native;

/// <summary>
/// Builds one netlink request: header, fixed body, then rtattrs, nests included (the addattr_l / addattr_nest of
/// iproute2's libnetlink, which tc(8) uses). The sequence number is set by <see cref="NetlinkSocket.Request"/>.
/// </summary>
internal sealed unsafe class NetlinkMessage
{
    private byte[] _buffer = new byte[512];
    private int _length;

    public NetlinkMessage(ushort type, ushort flags)
    {
        var header = new nlmsghdr { nlmsg_type = type, nlmsg_flags = flags };
        Append(MemoryMarshal.AsBytes(new ReadOnlySpan<nlmsghdr>(in header)));
    }

    public NetlinkMessage Body<T>(T body) where T : unmanaged
    {
        Append(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in body)));
        return this;
    }

    public NetlinkMessage Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var header = new rtattr { rta_len = (ushort)(sizeof(rtattr) + value.Length), rta_type = type };
        Append(MemoryMarshal.AsBytes(new ReadOnlySpan<rtattr>(in header)));
        Append(value);
        return this;
    }

    public NetlinkMessage Attribute<T>(ushort type, T value) where T : unmanaged =>
        Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>A NUL-terminated string attribute (TCA_KIND).</summary>
    public NetlinkMessage Attribute(ushort type, string value) =>
        Attribute(type, System.Text.Encoding.ASCII.GetBytes(value + "\0"));

    /// <summary>Opens a nested attribute; <see cref="EndNest"/> sets its length to cover what was added since.</summary>
    public int BeginNest(ushort type)
    {
        var start = _length;
        Attribute(type, []);
        return start;
    }

    public NetlinkMessage EndNest(int start)
    {
        MemoryMarshal.Write(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>The message with its length set; valid until the next change.</summary>
    public Span<byte> Bytes
    {
        get
        {
            MemoryMarshal.Write(_buffer.AsSpan(), (uint)_length);
            return _buffer.AsSpan(0, _length);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        var aligned = netlink.NLMSG_ALIGN(data.Length);
        if (_length + aligned > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + aligned));
        }
        data.CopyTo(_buffer.AsSpan(_length));
        _buffer.AsSpan(_length + data.Length, aligned - data.Length).Clear();
        _length += aligned;
    }
}
