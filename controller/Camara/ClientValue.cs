namespace CamaraQos.Controller.Camara;

/// <summary>
/// The one way a value a client sent is quoted back in an error message: at most
/// <see cref="MaxEchoed"/> characters, then an ellipsis, so a 1 MB parameter does not make a 1 MB error
/// body. Control characters are shown as '?' so an echoed value cannot start a new line.
/// </summary>
public static class ClientValue
{
    public const int MaxEchoed = 64;

    public static string Echo(string? value)
    {
        if (value is null)
        {
            return "";
        }
        var shown = value.Length > MaxEchoed ? value[..MaxEchoed] : value;
        if (shown.Any(char.IsControl))
        {
            shown = string.Create(shown.Length, shown, static (span, s) =>
            {
                for (var i = 0; i < s.Length; i++)
                {
                    span[i] = char.IsControl(s[i]) ? '?' : s[i];
                }
            });
        }
        return value.Length > MaxEchoed ? shown + "…" : shown;
    }
}
