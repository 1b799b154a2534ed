using System.Text;
using System.Text.Json.Nodes;
using CamaraQos.Controller.Tests.QosProfiles;
using CamaraQos.Controller.Tests.TestHost;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// CAMARA errors are <c>application/json</c> ErrorInfo everywhere, including the responses the
/// framework writes itself (routing, method, media type, JSON, auth): never <c>application/problem+json</c>.
/// </summary>
public sealed class NoProblemJsonTests(ControllerFactory factory) : IClassFixture<ControllerFactory>
{
    [Theory]
    [InlineData("GET", "/no-such-route", null, null, "2-legged", 404)]
    [InlineData("GET", "/qos-profiles/v1/no-such-route", null, null, "2-legged", 404)]
    [InlineData("GET", "/quality-on-demand/v1/no-such-route", null, null, "anonymous", 404)]
    [InlineData("DELETE", "/qos-profiles/v1/qos-profiles/QOS_E", null, null, "2-legged", 405)]
    [InlineData("GET", "/qos-profiles/v1/retrieve-qos-profiles", null, null, "2-legged", 405)]
    [InlineData("POST", "/qos-profiles/v1/retrieve-qos-profiles", "text/plain", "{}", "2-legged", 415)]
    [InlineData("POST", "/qos-profiles/v1/retrieve-qos-profiles", "application/xml", "<a/>", "2-legged", 415)]
    [InlineData("POST", "/qos-profiles/v1/retrieve-qos-profiles", "application/json", "{\"name\":", "2-legged", 400)]
    [InlineData("POST", "/qos-profiles/v1/retrieve-qos-profiles", "application/json", "{}", "anonymous", 401)]
    [InlineData("POST", "/qos-profiles/v1/retrieve-qos-profiles", "application/json", "{}", "bad-token", 401)]
    [InlineData("GET", "/qos-profiles/v1/qos-profiles/QOS_E", null, null, "wrong-scope", 403)]
    [InlineData("GET", "/openapi/no-such-api.yaml", null, null, "anonymous", 404)]
    public async Task NoBadRequestIsAnsweredWithProblemJson(string method, string path, string? mediaType, string? body, string who, int status)
    {
        using var client = Callers.Client(factory, who);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType!);
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.NotEqual("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, error?["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(error?["code"]?.GetValue<string>()));
        Assert.Contains(factory.Contract, e => e.Path == path && e.Status == status && e.Violations.Count == 0);
    }
}
