using System.Globalization;
using System.Text.RegularExpressions;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// CAMARA date-time fields: RFC 3339 §5.6 "and must have time zone". Read from strings, since the JSON
/// reader would take a time without an offset as local time instead of refusing it.
/// </summary>
public static partial class Rfc3339
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex DateTime();

    public static bool TryParse(string raw, out DateTimeOffset at)
    {
        at = default;
        return DateTime().IsMatch(raw) && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }
}
