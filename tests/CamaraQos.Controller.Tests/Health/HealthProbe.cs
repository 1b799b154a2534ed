using System.Net;
using System.Text.Json;
using Xunit;

namespace CamaraQos.Controller.Tests.Health;

/// <summary>Reads the health endpoints and waits, with a generous bound, for the answer a test expects.</summary>
internal static class HealthProbe
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    public sealed record Answer(HttpStatusCode Status, string? ContentType, JsonElement Body)
    {
        public string CheckStatus(string check) => Body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString()!;
        public string CheckDescription(string check) => Body.GetProperty("checks").GetProperty(check).GetProperty("description").GetString()!;
    }

    public static async Task<Answer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new(response.StatusCode, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls until <paramref name="status"/> is answered; fails with the last answer after <see cref="Bound"/>.</summary>
    public static async Task<Answer> WaitForAsync(HttpClient client, string path, HttpStatusCode status)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var answer = await GetAsync(client, path);
            if (answer.Status == status)
            {
                return answer;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{path} still answers {answer.Status} {answer.Body} after {Bound}");
            // The interval between two reads of the endpoint, not a wait for the event: the deadline bounds the test.
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
