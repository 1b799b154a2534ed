using System.Net;
using System.Text;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// The checker itself: canned responses that conform pass, and each kind of breach is caught, so a
/// green API test means the spec was really checked.
/// </summary>
public sealed class ContractCheckTests
{
    private const string Profiles = "qos-profiles-v1.1.0.yaml";
    private const string Profile = """{"name":"QOS_E","status":"ACTIVE","minDuration":{"value":1,"unit":"Seconds"},"priority":10}""";

    [Theory]
    [InlineData("GET", "/qos-profiles/{name}", 200, "application/json", Profile)]
    [InlineData("POST", "/retrieve-qos-profiles", 200, "application/json", "[" + Profile + "]")]
    [InlineData("POST", "/retrieve-qos-profiles", 200, "application/json", "[]")]
    [InlineData("GET", "/qos-profiles/{name}", 404, "application/json", """{"status":404,"code":"NOT_FOUND","message":"no"}""")]
    [InlineData("POST", "/retrieve-qos-profiles", 404, "application/json", """{"status":404,"code":"IDENTIFIER_NOT_FOUND","message":"no"}""")]
    [InlineData("POST", "/retrieve-qos-profiles", 415, "application/json", """{"status":415,"code":"UNSUPPORTED_MEDIA_TYPE","message":"no"}""")]
    [InlineData("GET", "/qos-profiles/{name}", 429, "application/json", """{"status":429,"code":"TOO_MANY_REQUESTS","message":"slow down"}""")]
    public void ConformingResponsesPass(string method, string template, int status, string mediaType, string body)
    {
        Assert.Empty(ContractCheck.Violations(Profiles, method, template, new(status, mediaType, body, "c-1", "c-1")));
    }

    [Theory]
    [InlineData(404, "application/problem+json", """{"status":404,"code":"NOT_FOUND","message":"no"}""", "problem+json")]
    [InlineData(500, "application/json", """{"status":500,"code":"INTERNAL","message":"boom"}""", "not documented")]
    [InlineData(409, "application/json", """{"status":409,"code":"CONFLICT","message":"no"}""", "not documented")]
    [InlineData(404, "application/json", """{"status":404,"code":"IDENTIFIER_NOT_FOUND","message":"no"}""", "body does not match")]
    [InlineData(400, "application/json", """{"status":400,"code":"INVALID_ARGUMENT"}""", "body does not match")]
    [InlineData(400, "application/json", """{"status":404,"code":"INVALID_ARGUMENT","message":"x"}""", "body does not match")]
    [InlineData(400, "text/plain", "bad", "content type")]
    [InlineData(200, "application/json", """{"name":"QOS_E"}""", "body does not match")]
    [InlineData(200, "application/json", """{"name":"QOS_E","status":"ON"}""", "body does not match")]
    [InlineData(200, "application/json", """{"name":"QOS_E","status":"ACTIVE","minDuration":{"value":1,"unit":"Fortnights"}}""", "body does not match")]
    [InlineData(200, "application/json", """{"name":"QOS_E","status":"ACTIVE","maxDownstreamRate":{"value":2000,"unit":"Mbps"}}""", "body does not match")]
    public void EachKindOfBreachIsReported(int status, string mediaType, string body, string expected)
    {
        var violations = ContractCheck.Violations(Profiles, "GET", "/qos-profiles/{name}", new(status, mediaType, body, null, null));

        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnechoedCorrelatorIsReported()
    {
        var violations = ContractCheck.Violations(Profiles, "GET", "/qos-profiles/{name}", new(200, "application/json", Profile, "abc-1", null));

        Assert.Contains(violations, v => v.Contains("x-correlator", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOperationTheSpecLacksIsReported()
    {
        Assert.Contains(ContractCheck.Violations(Profiles, "DELETE", "/qos-profiles/{name}", new(204, null, "", null, null)),
            v => v.Contains("no operation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GET", "/qos-profiles/v1/qos-profiles/QOS_E", 200, Profile, "qos-profiles-v1.1.0.yaml", "/qos-profiles/{name}", true)]
    [InlineData("DELETE", "/qos-profiles/v1/qos-profiles/QOS_E", 405, """{"status":405,"code":"METHOD_NOT_ALLOWED","message":"no"}""", "qos-profiles-v1.1.0.yaml", "/qos-profiles/{name}", true)]
    [InlineData("GET", "/qos-profiles/v1/nothing", 404, """{"status":404,"code":"NOT_FOUND","message":"no"}""", "qos-profiles-v1.1.0.yaml", null, true)]
    [InlineData("GET", "/qos-profiles/v1/nothing", 404, """{"error":"not_found"}""", "qos-profiles-v1.1.0.yaml", null, false)]
    [InlineData("GET", "/qos-profiles/v1/nothing", 200, "{}", "qos-profiles-v1.1.0.yaml", null, false)]
    [InlineData("POST", "/quality-on-demand/v1/sessions/extra/x", 404, """{"status":404,"code":"NOT_FOUND","message":"no"}""", "quality-on-demand-v1.1.0.yaml", null, true)]
    [InlineData("GET", "/quality-on-demand/v1/sessions/3fa85f64-5717-4562-b3fc-2c963f66afa6", 404, """{"status":404,"code":"NOT_FOUND","message":"no"}""", "quality-on-demand-v1.1.0.yaml", "/sessions/{sessionId}", true)]
    [InlineData("POST", "/oauth2/token", 400, """{"error":"invalid_client"}""", null, null, true)]
    public void RequestPathsAreMappedToTheirSpecByBasePath(string method, string path, int status, string body, string? spec, string? template, bool conforms)
    {
        var entry = ContractRecordingHandler.Check(method, path, new(status, "application/json", body, null, null));

        Assert.Equal((spec, template, conforms), (entry.SpecFile, entry.Template, entry.Violations.Count == 0));
    }

    [Fact]
    public async Task TheRecordingHandlerFailsTheRequestThatBreaksTheContract()
    {
        using var handler = new ContractRecordingHandler { InnerHandler = new Canned(HttpStatusCode.NotFound, "application/problem+json", """{"title":"Not Found"}""") };
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://controller") };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync("/qos-profiles/v1/qos-profiles/QOS_X", TestContext.Current.CancellationToken));

        Assert.Contains("problem+json", failure.Message, StringComparison.Ordinal);
        Assert.Single(handler.Entries);
    }

    private sealed class Canned(HttpStatusCode status, string mediaType, string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request, Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
