using FsCheck;
using FsCheck.Fluent;

namespace CamaraQos.Controller.Tests.Contract.Hostile;

/// <summary>
/// JSON values (raw text) that no schema field of their kind accepts: each list is what the spec's type
/// and format forbid, including the forms issue 14 found accepted (numbers as strings, inet_aton IPv4,
/// braced UUIDs, zoneless date-times), plus generated ones. Every value here must be refused wherever
/// its kind is used; none may be a valid value by accident.
/// </summary>
public static class BadValues
{
    private static readonly string[] NotJsonTypes = ["[]", "{}", "true"];

    public static Gen<string> Integer(long min, long max) => Gen.OneOf(
        Gen.Elements(["\"60\"", "\"1\"", "60.5", "1e400", "-1e400", "99999999999999999999", "\"\"", .. NotJsonTypes]),
        Gen.Choose(1, int.MaxValue).Select(n => (max + n).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(1, int.MaxValue).Select(n => (min - n).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static Gen<string> Port { get; } = Integer(0, 65535);

    public static Gen<string> Phone { get; } = Gen.OneOf(
        Gen.Elements(["\"34600000001\"", "\"+034600000001\"", "\"+34 600 000 001\"", "\"+3460000000112345678\"", "\"+34600000001\\n\"",
            "\"\"", "\"+\"", "\"+1234\"", "34600000001", "\"tel:+34600000001\"", "\"\\u0000\"", .. NotJsonTypes]),
        Junk("phone"));

    /// <summary>Non-canonical and malformed IPv4: inet_aton forms, leading zeros, ranges, spaces.</summary>
    public static Gen<string> Ipv4 { get; } = Gen.OneOf(
        Gen.Elements(["\"0x7f.0.0.1\"", "\"01.02.03.04\"", "\"192.168.001.010\"", "\"127.1\"", "\"2130706433\"", "\"0177.0.0.1\"",
            "\"1.2.3.4.5\"", "\"256.1.1.1\"", "\" 1.2.3.4\"", "\"1.2.3.4 \"", "\"1.2.3\"", "\"::1\"", "\"::ffff:1.2.3.4\"", "\"1.2.3.4%eth0\"",
            "\"\"", "\"1.2.3.-1\"", "\"１.２.３.４\"", "3232235777", .. NotJsonTypes]),
        Gen.Choose(0, 255).Select(n => $"\"{n}.0.0.00{n % 10}\""),
        Junk("v4"));

    /// <summary>Bad IPv4 plus address/mask forms no spec allows.</summary>
    public static Gen<string> Ipv4Prefix { get; } = Gen.OneOf(Ipv4,
        Gen.Elements(["\"203.0.113.0/33\"", "\"203.0.113.0/08\"", "\"203.0.113.0/\"", "\"203.0.113.0/+8\"", "\"203.0.113.0/ 8\"", "\"/24\"", "\"203.0.113.0/24/8\""]));

    public static Gen<string> Ipv6 { get; } = Gen.OneOf(
        Gen.Elements(["\"::1%eth0\"", "\"[::1]\"", "\"1::2::3\"", "\"12345::1\"", "\"::ffff:01.2.3.4\"", "\"::ffff:0x7f.0.0.1\"", "\"fe80::1%1\"",
            "\"1.2.3.4\"", "\"gggg::1\"", "\"2001:db8::1/129\"", "\"\"", "\":\"", "\"2001:db8:::1\"", "\"[2001:db8::1]:80\"", .. NotJsonTypes]),
        Junk("v6"));

    public static Gen<string> Ipv6Prefix { get; } = Gen.OneOf(Ipv6,
        Gen.Elements(["\"2001:db8::/129\"", "\"2001:db8::/064\"", "\"2001:db8::/\""]));

    /// <summary>UUIDs in every form but the canonical one, as JSON strings.</summary>
    public static Gen<string> Uuid { get; } = UuidText.Select(t => System.Text.Json.JsonSerializer.Serialize(t));

    /// <summary>A path id that is not a canonical UUID, escaped for a URL (some escapes are the point: %2e%2e, %0a).</summary>
    public static Gen<string> UuidText => Gen.OneOf(
        Gen.Constant(0).Select(_ => Guid.NewGuid()).SelectMany(g => Gen.Elements([
            $"{{{g}}}", g.ToString("N"), $"({g})", $"urn:uuid:{g}", g.ToString()[..35], g + "0", " " + g, g.ToString().Replace('-', '_')]))
            .Select(Uri.EscapeDataString),
        Gen.Elements(["not-a-uuid", "0", "..", "%2e%2e", "%0a", "null", "%7B%7D"]),
        Junk("id").Select(Uri.EscapeDataString));

    public static Gen<string> DateTime { get; } = Gen.Elements([
        "\"2099-01-01T00:00:00\"", "\"2099-01-01\"", "\"01/01/2099\"", "1700000000", "\"2099-13-01T00:00:00Z\"",
        "\"2099-01-01T25:00:00Z\"", "\"2099-01-01 00:00:00\"", "\"tomorrow\"", "\"\"", .. NotJsonTypes]);

    /// <summary>Not an absolute URL at all (the test host allows http and private sinks, so only syntax can be wrong).</summary>
    public static Gen<string> Url { get; } = Gen.Elements([
        "\"not a url\"", "\"/relative/sink\"", "\"\"", "\"ftp://example.com/x\"", "\"file:///etc/passwd\"", "\"https://\"", "42",
        "\"javascript:alert(1)\"", "\"https://user:pw@example.com/\"", .. NotJsonTypes]);

    public static Gen<string> ProfileName { get; } = Gen.OneOf(
        Gen.Elements(["\"NO_SUCH_PROFILE\"", "\"\"", "\"qos_e\"", "\"QOS_E \"", "\"QOS_E\\n\"", "42", "null", .. NotJsonTypes]),
        Junk("profile"));

    public static Gen<string> Boolean { get; } = Gen.Elements(["\"true\"", "1", "0", "\"yes\"", "[]", "{}"]);

    public static Gen<string> EnumValue { get; } = Gen.OneOf(Gen.Elements(["\"\"", "1", "[]", "{}", "\"NOPE\""]), Junk("enum"));

    /// <summary>A list of ports longer than the documented limit (ListLimits.MaxPortEntries), or with bad entries.</summary>
    public static Gen<string> PortList { get; } = Gen.OneOf(
        Gen.Elements(["[70000]", "[-1]", "[\"443\"]", "[null]", "[1.5]", "443", "[]", "[[443]]"]),
        Gen.Choose(Camara.ListLimits.MaxPortEntries + 1, 600).Select(n => "[" + string.Join(',', Enumerable.Range(1, n)) + "]"));

    public static Gen<string> RangeList { get; } = Gen.OneOf(
        Gen.Elements(["[null]", "[{\"from\":10}]", "[{\"from\":10,\"to\":5}]", "[{\"from\":\"1\",\"to\":2}]", "[{\"from\":-1,\"to\":2}]",
            "[{\"from\":1,\"to\":65536}]", "[]", "{\"from\":1,\"to\":2}", "[{\"from\":1.5,\"to\":2}]"]),
        Gen.Choose(Camara.ListLimits.MaxPortEntries + 1, 400).Select(n => "[" + string.Join(',', Enumerable.Range(1, n).Select(p => $"{{\"from\":{p},\"to\":{p}}}")) + "]"));

    /// <summary>Any string that starts with a character no value of its kind may start with ('~'), so it is never valid.</summary>
    public static Gen<string> Junk(string kind) =>
        Gen.ArrayOf(Gen.Frequency((3, Gen.Choose(0x20, 0x7E)), (1, Gen.Choose(0, 0x1F)), (1, Gen.Choose(0x80, 0x2FFF))).Select(c => (char)c))
            .Select(chars => System.Text.Json.JsonSerializer.Serialize($"~{kind}{new string(chars)}"));
}
