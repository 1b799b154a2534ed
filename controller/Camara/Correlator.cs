using System.Text.RegularExpressions;

namespace CamaraQos.Controller.Camara;

/// <summary>
/// <c>x-correlator</c> (CAMARA_common XCorrelator): validated against the spec pattern and echoed on
/// every response, errors included.
/// </summary>
public static partial class Correlator
{
    public const string Header = "x-correlator";

    [GeneratedRegex(@"^[a-zA-Z0-9-_:;.\/<>{}]{0,256}$")]
    private static partial Regex Pattern();

    public static bool IsValid(string value) => Pattern().IsMatch(value);

    public static string? Of(HttpContext context) =>
        context.Items.TryGetValue(Header, out var v) ? v as string : null;

    public static async Task Middleware(HttpContext context, RequestDelegate next)
    {
        var values = context.Request.Headers[Header];
        if (values.Count > 0)
        {
            var value = values.ToString();
            if (values.Count > 1 || !IsValid(value))
            {
                await CamaraError.InvalidArgument("Invalid x-correlator header.").ExecuteAsync(context);
                return;
            }
            context.Items[Header] = value;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = value;
                return Task.CompletedTask;
            });
        }
        await next(context);
    }
}
