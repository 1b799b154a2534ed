using CamaraQos.Controller.Tests.Notifications;
using CamaraQos.Controller.Tests.TestHost;
using Xunit;

namespace CamaraQos.Controller.Tests.Observability;

public sealed class ObservabilityConfigTests
{
    [Theory]
    [InlineData("Observability:OtlpEndpoint", "ftp://collector:4317", "Observability:OtlpEndpoint")]
    [InlineData("Observability:OtlpEndpoint", "collector:4317", "Observability:OtlpEndpoint")]
    [InlineData("Observability:OtlpProtocol", "Thrift", "Observability:OtlpProtocol")]
    [InlineData("Observability:StateRefreshSeconds", "-1", "Observability:StateRefreshSeconds")]
    public async Task BadObservabilityConfigurationFailsTheStartNamingTheKey(string key, string value, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = new ControllerFactory { Settings = { [key] = value } };
            _ = host.Server;
        });
        Assert.Contains(named, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracesAreExportedToTheConfiguredOtlpEndpoint()
    {
        // The OTLP/HTTP exporter POSTs protobuf to the URL it is given: a plain recording sink stands in for a collector.
        await using var collector = await TestSink.StartAsync();
        await using var host = new ControllerFactory
        {
            Settings =
            {
                ["Observability:OtlpEndpoint"] = collector.Url(),
                ["Observability:OtlpProtocol"] = "HttpProtobuf",
            },
        };
        using var client = host.CreateClient();
        await client.GetAsync("/qos-profiles/v1/qos-profiles", TestContext.Current.CancellationToken);

        var export = await collector.NextAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("POST", export.Method);
        Assert.Equal("application/x-protobuf", export.ContentType);
    }
}
