using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CamaraQos.Controller.Health;

/// <summary>
/// <c>{"status":"Healthy","checks":{"database":{"status":"Healthy","description":"..."}}}</c>: each check's
/// status and short description, never an exception's text (the endpoints are unauthenticated).
/// </summary>
internal static class HealthResponse
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", Describe(entry));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    /// <summary>A check that threw gets the exception's message as description: replaced by a generic one.</summary>
    private static string Describe(HealthReportEntry entry) =>
        entry.Exception is { } e && entry.Description == e.Message ? "check failed" : entry.Description ?? entry.Status.ToString();
}
