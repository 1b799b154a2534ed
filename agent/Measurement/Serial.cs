namespace CamaraQos.Agent.Measurement;

/// <summary>
/// Serial-number arithmetic on 32-bit TCP sequence numbers (RFC 1982 §3.2; RFC 9293 §3.4): a comes
/// before b when b - a, taken modulo 2^32, is below 2^31, so comparisons survive the wrap at 2^32.
/// </summary>
internal static class Serial
{
    public static bool Before(uint a, uint b) => (int)(a - b) < 0;

    public static bool AtOrBefore(uint a, uint b) => (int)(a - b) <= 0;

    public static bool After(uint a, uint b) => (int)(a - b) > 0;

    public static uint Max(uint a, uint b) => Before(a, b) ? b : a;
}
