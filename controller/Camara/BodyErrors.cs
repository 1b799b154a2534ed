using System.Text.Json;
using System.Text.RegularExpressions;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// The message of a body the JSON reader refused: the field (JSON path) and the rule broken, in the
/// API's terms. The framework's own text names .NET types and reader positions, so it never leaves.
/// </summary>
public static partial class BodyErrors
{
    public static string Describe(JsonException json)
    {
        var at = string.IsNullOrEmpty(json.Path) ? "$" : ClientValue.Echo(json.Path);
        if (json.InnerException is JsonException)
        {
            return $"The request body is not well-formed JSON (at {at}).";
        }
        if (json.Message.Contains("RFC 3339", StringComparison.Ordinal))
        {
            return $"Invalid request body at {at}: expected an RFC 3339 date-time with a time zone.";
        }
        if (json.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return $"Invalid request body at {at}: a required property is missing.";
        }
        return $"Invalid request body at {at}: {Expected(json.Message)}.";
    }

    /// <summary>
    /// The JSON kind the target type takes, when the reader names a framework type; records with
    /// constructors are named instead of their property's type, and user types are never named.
    /// </summary>
    private static string Expected(string message)
    {
        var target = ConvertedTo().Match(message) is { Success: true } m ? m.Groups["type"].Value : "";
        return target switch
        {
            _ when target.Contains("List`1", StringComparison.Ordinal) || target.EndsWith("[]", StringComparison.Ordinal) => "expected an array",
            _ when target.Contains("System.String", StringComparison.Ordinal) => "expected a string",
            _ when target.Contains("System.Boolean", StringComparison.Ordinal) => "expected true or false",
            _ when target.Contains("System.Int", StringComparison.Ordinal) => "expected an integer in range",
            _ when target.Contains("System.Double", StringComparison.Ordinal) || target.Contains("System.Decimal", StringComparison.Ordinal) => "expected a number",
            _ when target.Contains("System.DateTime", StringComparison.Ordinal) => "expected a date-time",
            _ when target.Contains("System.Guid", StringComparison.Ordinal) => "expected a UUID",
            _ => "the value does not have the type or form the schema requires",
        };
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path:")]
    private static partial Regex ConvertedTo();
}
