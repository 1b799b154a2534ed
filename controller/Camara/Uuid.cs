namespace CamaraQos.Controller.Camara;

/// <summary>
/// Ids in paths and bodies: the canonical 8-4-4-4-12 hex form only. <see cref="Guid.TryParse(string?, out Guid)"/>
/// also takes braces, parentheses and the 32-digit form, so <c>/sessions/{…}</c> would reach a session.
/// </summary>
public static class Uuid
{
    public static bool TryParse(string? raw, out Guid id) => Guid.TryParseExact(raw, "D", out id);

    public static bool IsValid(string? raw) => TryParse(raw, out _);
}
