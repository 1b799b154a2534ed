namespace CamaraQos.Shared;

/// <summary>DiffServ code points by their RFC 4594 / RFC 2474 names (6-bit values).</summary>
public static class Dscp
{
    public const int DF = 0;
    public const int LE = 1;
    public const int CS1 = 8;
    public const int AF11 = 10;
    public const int AF21 = 18;
    public const int CS3 = 24;
    public const int AF31 = 26;
    public const int CS4 = 32;
    public const int AF41 = 34;
    public const int CS5 = 40;
    public const int VoiceAdmit = 44;
    public const int EF = 46;
    public const int CS6 = 48;
    public const int CS7 = 56;

    public static bool IsValid(int value) => value is >= 0 and <= 63;

    /// <summary>
    /// 802.11 user priority for a DSCP, per RFC 8325 §4.3 (Figure 1), as updated by RFC 8622 §8 for LE.
    /// The Linux default took the top three DSCP bits; RFC 8325 corrects that, and maps every codepoint it
    /// does not list to UP 0 ("All unused codepoints are RECOMMENDED to be mapped to UP 0").
    /// </summary>
    public static int WifiUserPriority(int dscp) => dscp switch
    {
        CS6 or CS7 => 7,                          // network control → AC_VO
        EF or VoiceAdmit => 6,                    // telephony → AC_VO
        CS5 => 5,                                 // signaling → AC_VI
        AF41 or 36 or 38 or CS4 => 4,             // multimedia conferencing, real-time interactive → AC_VI
        AF31 or 28 or 30 or CS3 => 4,             // multimedia streaming, broadcast video → AC_VI
        AF21 or 20 or 22 => 3,                    // low-latency data → AC_BE
        CS1 or LE => 1,                           // low-priority data, lower effort → AC_BK
        _ => 0,                                   // DF, AF1x, CS2 and unused codepoints → AC_BE
    };
}
