using System.Net.Http.Headers;
using System.Text;

namespace CamaraQos.Controller.Auth;

/// <summary>
/// A form-encoded request to an /oauth2 endpoint with its authenticated client: HTTP Basic
/// (RFC 6749 §2.3.1, the id and secret form-urlencoded inside) or <c>client_id</c>/<c>client_secret</c>
/// form fields, never both.
/// </summary>
public sealed record OAuthRequest(ApiClient Client, IFormCollection Form)
{
    public string? this[string name] => Form.TryGetValue(name, out var v) && v.Count == 1 ? v.ToString() : null;

    public static async Task<(OAuthRequest? Request, OAuthError? Error)> ReadAsync(HttpContext http, ClientRegistry clients)
    {
        // RFC 6749 §4.1.3/§4.4.2: form-urlencoded only; HasFormContentType would let multipart in, whose
        // reader throws on a malformed body.
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media)
            || !media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        }
        // RFC 6749 Appendix B: the form is UTF-8; another charset was silently read as UTF-8.
        if (media.Charset.HasValue && !string.Equals(media.Charset.Value!.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.InvalidRequest("The form must be UTF-8: charset must be absent or utf-8."));
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            return (null, OAuthError.InvalidRequest($"Malformed form body: {e.Message}"));
        }
        var (id, secret, error) = Credentials(http.Request, form);
        if (http.RequestServices.GetRequiredService<OAuthClientLimiter>().Admit(id, http) is { } tooMany)
        {
            return (null, tooMany);
        }
        if (error is not null)
        {
            return (null, error);
        }
        var client = clients.Authenticate(id!, secret!);
        return client is null ? (null, OAuthError.InvalidClient()) : (new OAuthRequest(client, form), null);
    }

    private static (string? Id, string? Secret, OAuthError? Error) Credentials(HttpRequest request, IFormCollection form)
    {
        var hasForm = form.ContainsKey("client_secret");
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header))
        {
            return hasForm
                ? (form["client_id"].ToString(), form["client_secret"].ToString(), null)
                : (null, null, OAuthError.InvalidClient());
        }
        if (hasForm)
        {
            return (null, null, OAuthError.InvalidRequest("Use one client authentication method, not both."));
        }
        if (!header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || !TryDecodeBasic(header.Parameter, out var id, out var secret))
        {
            return (null, null, OAuthError.InvalidClient());
        }
        return (id, secret, null);
    }

    private static bool TryDecodeBasic(string? parameter, out string id, out string secret)
    {
        id = secret = "";
        var bytes = new byte[((parameter?.Length ?? 0) * 3 / 4) + 3];
        if (parameter is null || !Convert.TryFromBase64String(parameter, bytes, out var length))
        {
            return false;
        }
        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }
        id = Uri.UnescapeDataString(text[..colon].Replace('+', ' '));
        secret = Uri.UnescapeDataString(text[(colon + 1)..].Replace('+', ' '));
        return true;
    }
}
