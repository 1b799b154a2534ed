namespace CamaraQos.Controller.Notifications;

/// <summary>
/// CAMARA <c>SinkCredential</c> (QoD v1.1.0 components/schemas): only <c>ACCESSTOKEN</c> is accepted
/// (specs/camara/NOTES.md row 5). Strings rather than enums so an unknown value gets a CAMARA error, not a parse failure.
/// </summary>
public sealed record SinkCredential(
    string? CredentialType,
    string? AccessToken = null,
    DateTimeOffset? AccessTokenExpiresUtc = null,
    string? AccessTokenType = null)
{
    public const string AccessTokenCredential = "ACCESSTOKEN";
    public const string Plain = "PLAIN";
    public const string RefreshToken = "REFRESHTOKEN";
    public const string Bearer = "bearer";
}
