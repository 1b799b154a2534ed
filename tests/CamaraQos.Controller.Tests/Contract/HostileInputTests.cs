using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Tests.Health;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>One sandbox controller with every log line captured, for the hostile-input findings of issue 14.</summary>
public sealed class HostileInputHost : IAsyncLifetime
{
    internal CapturedLogs Logs { get; } = new();
    public QodHost Host { get; }
    public HttpClient Client { get; private set; } = null!;
    public HttpClient Admin { get; private set; } = null!;

    public HostileInputHost() => Host = new QodHost(services: s => s.AddSingleton<ILoggerProvider>(Logs));

    public async ValueTask InitializeAsync()
    {
        await Host.FleetOnlineAsync("sandbox-gw-1", "sandbox-gw-2");
        Client = await Host.ClientAsync();
        Admin = await Host.ClientAsync("sandbox-admin", "sandbox-admin-secret");
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

public sealed class HostileInputTests(HostileInputHost fixture) : IClassFixture<HostileInputHost>
{
    private const string Session = """{"device": {"phoneNumber": "+34600000001"}, "applicationServer": {"ipv4Address": "203.0.113.10"}, "qosProfile": "QOS_E", "duration": 60}""";

    [Fact]
    public async Task ANullPortRangeOnSessionCreationIsAnInvalidArgumentNotAServerError()
    {
        var body = Session.Replace("\"duration\": 60", "\"duration\": 60, \"applicationServerPorts\": {\"ranges\": [null]}");
        await QodErrorTests.AssertErrorAsync(await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(body)), 400, "INVALID_ARGUMENT");
    }

    [Fact]
    public async Task ANullPhoneNumberInTheAdminSubscriberApiIsAnInvalidArgumentNotAServerError()
    {
        var response = await fixture.Admin.PutAsync("/admin/v1/subscribers/nullish", Json("""{"phoneNumbers": [null], "agentId": "sandbox-gw-1"}"""));
        await QodErrorTests.AssertErrorAsync(response, 400, "INVALID_ARGUMENT");
    }

    public static TheoryData<string, string> OperationsWithABody => new()
    {
        { "POST", "/quality-on-demand/v1/sessions" },
        { "POST", "/quality-on-demand/v1/retrieve-sessions" },
        { "POST", "/qod/v0/sessions" },
        { "POST", "/qos-profiles/v1/retrieve-qos-profiles" },
        { "POST", "/qos-provisioning/v0.3/qos-assignments" },
        { "POST", "/application-profiles/v0.5/application-profiles" },
        { "POST", "/connectivity-insights/v0.6/check-network-quality" },
        { "POST", "/connectivity-insights-subscriptions/v0.6/subscriptions" },
        { "PUT", "/home-devices-qod/v0.4/qos" },
        { "PUT", "/admin/v1/subscribers/someone" },
        { "PUT", "/admin/v1/agents/some-gw" },
    };

    [Theory]
    [MemberData(nameof(OperationsWithABody))]
    public async Task AJsonBodyInAnUnknownCharsetIsUnsupportedMediaTypeWithTheCorrelator(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=no-such-charset");
        request.Headers.Add("x-correlator", "hostile-charset");
        var response = await fixture.Admin.SendAsync(request);

        await QodErrorTests.AssertErrorAsync(response, 415, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Equal("hostile-charset", response.Headers.GetValues("x-correlator").Single());
    }

    /// <summary>Bodies the JSON reader refuses: the message names the field and the rule, nothing of .NET.</summary>
    [Theory]
    [InlineData("""{"device": "+34600000001"}""", "$.device", "type")]
    [InlineData("""{"device": {"phoneNumber": 34600000001}}""", "$.device.phoneNumber", "type")]
    [InlineData("""{"duration": "sixty"}""", "$.duration", "type")]
    [InlineData("""{"duration": 1e400}""", "$.duration", "type")]
    [InlineData("""{"applicationServerPorts": {"ports": {"a": 1}}}""", "$.applicationServerPorts.ports", "array")]
    [InlineData("""{"device": {"phoneNumber": "+34600000001"}""", "$", "well-formed")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""{"sinkCredential": {"credentialType": "ACCESSTOKEN", "accessTokenExpiresUtc": "2099-01-01T00:00:00"}}""", "$.sinkCredential.accessTokenExpiresUtc", "time zone")]
    public async Task AMalformedBodyIsAnInvalidArgumentNamingTheFieldWithoutFrameworkInternals(string body, string field, string rule = "")
    {
        var response = await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(body));

        await QodErrorTests.AssertErrorAsync(response, 400, "INVALID_ARGUMENT");
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        Assert.Contains(field, message, StringComparison.Ordinal);
        Assert.Contains(rule, message, StringComparison.Ordinal);
        Assert.True(message.Length <= 160, message);
        foreach (var internals in new[] { "CamaraQos", "System.", "LineNumber", "BytePosition", "Path:" })
        {
            Assert.DoesNotContain(internals, message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task AnEmptyBodyWhereOneIsRequiredSaysSoWithoutFrameworkInternals()
    {
        var response = await fixture.Client.PostAsync("/quality-on-demand/v1/sessions", Json(""));

        await QodErrorTests.AssertErrorAsync(response, 400, "INVALID_ARGUMENT");
        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!;
        Assert.DoesNotContain("CamaraQos", message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
