using System.Runtime.InteropServices;

#pragma warning disable CA1707 // native names are kept exactly as the C header spells them

namespace CamaraQos.Agent.Native.Nftables;

// <nftables/libnftables.h> (libnftables(3)), Debian package libnftables1: the library nft(8) itself uses,
// so commands are the same text nft -f reads, and one buffer is one kernel transaction.

internal static partial class Libnftables
{
    private const string Lib = "libnftables.so.1";

    public const uint NFT_CTX_DEFAULT = 0;

    // enum nft_output_flags
    public const uint NFT_CTX_OUTPUT_JSON = 1 << 4;

    [LibraryImport(Lib)]
    public static partial nint nft_ctx_new(uint flags);

    [LibraryImport(Lib)]
    public static partial void nft_ctx_free(nint ctx);

    [LibraryImport(Lib)]
    public static partial uint nft_ctx_output_get_flags(nint ctx);

    [LibraryImport(Lib)]
    public static partial void nft_ctx_output_set_flags(nint ctx, uint flags);

    [LibraryImport(Lib)]
    public static partial int nft_ctx_buffer_output(nint ctx);

    [LibraryImport(Lib)]
    public static partial int nft_ctx_buffer_error(nint ctx);

    /// <summary>Returns the text written since the last call (the buffer is rewound); owned by the context.</summary>
    [LibraryImport(Lib)]
    public static partial nint nft_ctx_get_output_buffer(nint ctx);

    [LibraryImport(Lib)]
    public static partial nint nft_ctx_get_error_buffer(nint ctx);

    /// <summary>0 on success; the whole buffer is parsed, then sent as one netlink batch (one transaction).</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nft_run_cmd_from_buffer(nint ctx, string buf);
}
