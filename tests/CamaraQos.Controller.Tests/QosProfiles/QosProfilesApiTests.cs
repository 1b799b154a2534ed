using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CamaraQos.Controller.Tests.Contract;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProfiles;

/// <summary>
/// qos-profiles v1.1.0 through real HTTP; every response also passes through the contract handler,
/// so each test checks the spec's status list, schemas and x-correlator too.
/// </summary>
public sealed class QosProfilesApiTests(ControllerFactory factory) : IClassFixture<ControllerFactory>
{
    private const string Retrieve = "/qos-profiles/v1/retrieve-qos-profiles";

    [Fact]
    public async Task RetrievingWithNoFilterReturnsTheFourDefaultProfilesWithoutTheirDscp()
    {
        using var client = Callers.Client(factory, "2-legged");
        var response = await client.PostAsync(Retrieve, Callers.Json("{}"), TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["QOS_E", "QOS_L", "QOS_M", "QOS_S"], body.Select(p => p!["name"]!.GetValue<string>()).Order());
        Assert.All(body, p => Assert.Null(p!["dscp"]));
        Assert.Contains(factory.Contract, e => e.Path == Retrieve && e.Template == "/retrieve-qos-profiles" && e.Violations.Count == 0);
    }

    [Theory]
    [InlineData("""{"name": "QOS_M"}""", "QOS_M")]
    [InlineData("""{"name": "QOS_E", "status": "ACTIVE"}""", "QOS_E")]
    [InlineData("""{"name": "qos_e"}""", "")]
    [InlineData("""{"name": "NO_SUCH_PROFILE"}""", "")]
    [InlineData("""{"status": "INACTIVE"}""", "")]
    [InlineData("""{"status": "DEPRECATED"}""", "")]
    public async Task RetrievingFiltersByExactNameAndStatus(string request, string expectedNames)
    {
        using var client = Callers.Client(factory, "2-legged");
        var response = await client.PostAsync(Retrieve, Callers.Json(request), TestContext.Current.CancellationToken);
        var names = await response.Content.ReadFromJsonAsync<List<JsonObject>>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expectedNames, string.Join(',', names!.Select(p => p["name"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("2-legged", "", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", "{", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", "[]", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"name": 12}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"name": "ab"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"name": "QOS E"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"status": "active"}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"phoneNumber": "34600000001"}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"networkAccessIdentifier": ""}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "198.51.100.1"}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "198.51.100.300", "publicPort": 1}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "1", "publicPort": 1}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "198.51.100.1", "privateAddress": "x"}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "198.51.100.1", "publicPort": 70000}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv4Address": {"publicAddress": "198.51.100.1", "publicPort": "80"}}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv6Address": "198.51.100.1"}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"ipv6Address": "2001:db8::/64"}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("3-legged", """{"device": {"ipv6Address": "2001:db8::/64"}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", """{"device": {"networkAccessIdentifier": "user1@sandbox.example"}}""", 422, "UNSUPPORTED_IDENTIFIER")]
    [InlineData("3-legged", """{"device": {"phoneNumber": "+34600000001"}}""", 422, "UNNECESSARY_IDENTIFIER")]
    [InlineData("anonymous", "{}", 401, "UNAUTHENTICATED")]
    [InlineData("bad-token", "{}", 401, "UNAUTHENTICATED")]
    [InlineData("wrong-scope", "{}", 403, "PERMISSION_DENIED")]
    public async Task RetrievingRejectsEachCaseWithItsCamaraError(string who, string body, int status, string code)
    {
        using var client = Callers.Client(factory, who);
        var response = await client.PostAsync(Retrieve, Callers.Json(body), TestContext.Current.CancellationToken);

        await ContractCheck.AssertCamaraErrorAsync(response, status, code);
    }

    [Fact]
    public async Task RetrievingWithAThreeLeggedTokenAndNoDeviceReturnsTheProfiles()
    {
        using var client = Callers.Client(factory, "3-legged");
        var response = await client.PostAsync(Retrieve, Callers.Json("""{"name": "QOS_S"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single((await response.Content.ReadFromJsonAsync<List<JsonObject>>(TestContext.Current.CancellationToken))!);
    }

    [Theory]
    [InlineData("QOS_E", 46)]
    [InlineData("QOS_L", 34)]
    [InlineData("QOS_M", 26)]
    [InlineData("QOS_S", 18)]
    public async Task GettingADefaultProfileReturnsItsCharacteristics(string name, int dscp)
    {
        using var client = Callers.Client(factory, "3-legged");
        var response = await client.GetAsync($"/qos-profiles/v1/qos-profiles/{name}", TestContext.Current.CancellationToken);
        var profile = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, profile["name"]!.GetValue<string>());
        Assert.Equal("ACTIVE", profile["status"]!.GetValue<string>());
        Assert.Equal("""{"value":1,"unit":"Seconds"}""", profile["minDuration"]!.ToJsonString());
        Assert.Equal("""{"value":86400,"unit":"Seconds"}""", profile["maxDuration"]!.ToJsonString());
        Assert.Null(profile["dscp"]);
        Assert.Equal(dscp, factory.Services.GetRequiredService<CamaraQos.Controller.QosProfiles.IQosProfileCatalog>().Find(name)!.Dscp);
    }

    [Theory]
    [InlineData("2-legged", "NO_SUCH_PROFILE", 404, "NOT_FOUND")]
    [InlineData("2-legged", "qos_e", 404, "NOT_FOUND")]
    [InlineData("2-legged", "ab", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", "QOS%20E", 400, "INVALID_ARGUMENT")]
    [InlineData("2-legged", "QOS%2BE", 400, "INVALID_ARGUMENT")]
    [InlineData("anonymous", "QOS_E", 401, "UNAUTHENTICATED")]
    [InlineData("bad-token", "QOS_E", 401, "UNAUTHENTICATED")]
    [InlineData("wrong-scope", "QOS_E", 403, "PERMISSION_DENIED")]
    public async Task GettingRejectsEachCaseWithItsCamaraError(string who, string name, int status, string code)
    {
        using var client = Callers.Client(factory, who);
        var response = await client.GetAsync($"/qos-profiles/v1/qos-profiles/{name}", TestContext.Current.CancellationToken);

        await ContractCheck.AssertCamaraErrorAsync(response, status, code);
    }

    [Fact]
    public async Task GettingANameLongerThan256CharactersIsAnInvalidArgument()
    {
        using var client = Callers.Client(factory, "2-legged");
        var response = await client.GetAsync($"/qos-profiles/v1/qos-profiles/{new string('a', 257)}", TestContext.Current.CancellationToken);

        await ContractCheck.AssertCamaraErrorAsync(response, 400, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task AnInvalidCorrelatorIsRejectedAndAValidOneIsEchoed()
    {
        using var client = factory.CreateCamaraClient(TestCaller.With(CamaraQos.Controller.Camara.Scopes.QosProfilesRead));
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/qos-profiles/v1/qos-profiles/QOS_E");
        bad.Headers.Add("x-correlator", "not valid!");
        using var good = new HttpRequestMessage(HttpMethod.Get, "/qos-profiles/v1/qos-profiles/QOS_E");
        good.Headers.Add("x-correlator", "b4333c46-49c0-4f62-80d7-f0ef930f1c46");

        await ContractCheck.AssertCamaraErrorAsync(await client.SendAsync(bad, TestContext.Current.CancellationToken), 400, "INVALID_ARGUMENT");
        var response = await client.SendAsync(good, TestContext.Current.CancellationToken);
        Assert.Equal("b4333c46-49c0-4f62-80d7-f0ef930f1c46", response.Headers.GetValues("x-correlator").Single());
    }
}
