namespace CamaraQos.Shared;

/// <summary>DiffServ code points by their RFC 4594 / RFC 2474 names (6-bit values).</summary>
public static class Dscp
{
    public const int DF = 0;
    public const int CS1 = 8;
    public const int AF11 = 10;
    public const int AF21 = 18;
    public const int CS3 = 24;
    public const int AF31 = 26;
    public const int CS4 = 32;
    public const int AF41 = 34;
    public const int CS5 = 40;
    public const int EF = 46;

    public static bool IsValid(int value) => value is >= 0 and <= 63;

    /// <summary>
    /// 802.11 user priority for a DSCP, per RFC 8325 §4 (the Linux default mapping takes the top three
    /// DSCP bits; RFC 8325 corrects it for EF, AF2x/AF3x/AF4x and CS1).
    /// </summary>
    public static int WifiUserPriority(int dscp) => dscp switch
    {
        EF or 44 => 6,           // EF, VOICE-ADMIT → UP 6 (AC_VO)
        CS5 or CS4 or AF41 or 36 or 38 => 5, // → AC_VI
        CS3 or AF31 or 28 or 30 => 4,        // multimedia streaming → AC_VI
        AF21 or 20 or 22 => 3,   // low-latency data → AC_BE
        CS1 => 1,                // lower effort → AC_BK
        _ => dscp >> 3 is 6 or 7 ? 7 : 0,
    };
}
