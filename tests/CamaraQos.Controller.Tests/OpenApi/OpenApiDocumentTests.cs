using System.Text.Json.Nodes;
using CamaraQos.Controller.OpenApi;
using CamaraQos.Controller.Tests.Contract;
using CamaraQos.Controller.Tests.TestHost;
using Xunit;

namespace CamaraQos.Controller.Tests.OpenApi;

/// <summary>The served documents are the normative CAMARA specs, with only <c>servers</c> pointing here.</summary>
public sealed class OpenApiDocumentTests(ControllerFactory factory) : IClassFixture<ControllerFactory>
{
    public static TheoryData<string> Apis => [.. CamaraApis.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Apis))]
    public async Task EachApiIsServedAsTheNormativeSpecInJsonAndYaml(string name)
    {
        var api = SpecDocuments.Find(name)!;
        using var client = factory.CreateCamaraClient();
        var json = await client.GetAsync($"/openapi/{name}.json", TestContext.Current.CancellationToken);
        var yaml = await client.GetAsync($"/openapi/{name}.yaml", TestContext.Current.CancellationToken);
        var servedJson = JsonNode.Parse(await json.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        var servedYaml = YamlJson.Parse(await yaml.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        var normative = YamlJson.Parse(await File.ReadAllTextAsync(SpecFiles.PathOf(api.SpecFile), TestContext.Current.CancellationToken))!.AsObject();

        Assert.Equal(("application/json", "application/yaml"), (json.Content.Headers.ContentType?.MediaType, yaml.Content.Headers.ContentType?.MediaType));
        Assert.Equal("3.0.3", servedJson["openapi"]!.GetValue<string>());
        Assert.Equal($$"""[{"url":"http://localhost{{api.BasePath}}"}]""", servedJson["servers"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(servedJson, servedYaml), "the YAML and JSON documents differ");
        servedJson.Remove("servers");
        normative.Remove("servers");
        Assert.True(JsonNode.DeepEquals(normative, servedJson), $"{name} differs from {SpecFiles.PathOf(api.SpecFile)}");
    }

    [Fact]
    public async Task TheIndexListsEveryApiAndTheScalarUiLoadsThem()
    {
        using var client = factory.CreateCamaraClient();
        var index = JsonNode.Parse(await client.GetStringAsync("/openapi", TestContext.Current.CancellationToken))!.AsArray();
        var redirect = await client.GetAsync("/docs", TestContext.Current.CancellationToken);
        var docs = await client.GetAsync("/docs/", TestContext.Current.CancellationToken);
        var html = await docs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var script = await client.GetAsync("/docs/scalar.js", TestContext.Current.CancellationToken);

        Assert.Equal(CamaraApis.All.Select(a => $"/openapi/{a.Name}.json"), index.Select(e => e!["json"]!.GetValue<string>()));
        Assert.Contains(index, e => e!["title"]!.GetValue<string>() == "QoS Profiles 1.1.0");
        Assert.Equal("docs/", redirect.Headers.Location?.OriginalString);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode);
        Assert.All(CamaraApis.All, a => Assert.Contains($"\"url\":\"http://localhost/openapi/{a.Name}.json\"", html, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/openapi/no-such-api.json")]
    [InlineData("/openapi/qos-profiles-v1.1.0.txt")]
    [InlineData("/openapi/qos-profiles-v1.2.0-rc.3.yaml")]
    public async Task AnUnknownDocumentIsACamaraNotFound(string path)
    {
        using var client = factory.CreateCamaraClient();

        await ContractCheck.AssertCamaraErrorAsync(await client.GetAsync(path, TestContext.Current.CancellationToken), 404, "NOT_FOUND");
    }

    [Theory]
    [InlineData("openapi: 3.0.3\r\nservers:\r\n  - url: \"{apiRoot}/x\"\r\n    variables:\r\n      apiRoot:\r\n        default: a\r\n\r\ntags: []\r\n", "openapi: 3.0.3\r\nservers:\n  - url: \"http://h/x\"\n\ntags: []\r\n")]
    [InlineData("openapi: 3.0.3\npaths: {}\n", "servers:\n  - url: \"http://h/x\"\nopenapi: 3.0.3\npaths: {}\n")]
    public void OnlyTheTopLevelServersBlockIsReplaced(string yaml, string expected) =>
        Assert.Equal(expected, SpecDocuments.ReplaceServers(yaml, "http://h/x"));
}
