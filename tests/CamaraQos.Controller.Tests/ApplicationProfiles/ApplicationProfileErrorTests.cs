using System.Net;
using System.Net.Http.Json;
using System.Text;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.ApplicationProfiles;

/// <summary>One shared controller for the error tables: a rejected request changes nothing.</summary>
public sealed class ApplicationProfileErrorHost : IAsyncLifetime
{
    public QodHost Host { get; } = new();
    public HttpClient Client { get; private set; } = null!;
    public HttpClient ReadOnly { get; private set; } = null!;
    public Guid Existing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Client = await Host.ClientAsync();
        ReadOnly = await Host.ClientAsync("sandbox-readonly", "sandbox-readonly-secret");
        Existing = await ApplicationProfilesTests.CreateAsync(Client, ApplicationProfilesTests.Gaming);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}

public sealed class ApplicationProfileErrorTests(ApplicationProfileErrorHost fixture) : IClassFixture<ApplicationProfileErrorHost>
{
    private const string Base = ApplicationProfilesTests.Base;

    /// <summary>
    /// Bodies createApplicationProfile and updateApplicationProfile both reject (their thresholds share one
    /// schema): 400 INVALID_ARGUMENT for every schema violation, bounds included (test plan 05 and 06).
    /// </summary>
    public static TheoryData<string, string> BadThresholds => new()
    {
        { "{}", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {}}""", "INVALID_ARGUMENT" },
        { """{"computeResources": {}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetDelayBudget": {"value": 0, "unit": "Milliseconds"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetDelayBudget": {"value": 10, "unit": "Weeks"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetDelayBudget": {"value": 10}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetDelayBudget": {"value": "10", "unit": "Milliseconds"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetDelayBudget": {"value": 3000000000, "unit": "Milliseconds"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"jitter": {"value": -1, "unit": "Milliseconds"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"jitter": {"unit": "Milliseconds"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"targetMinDownstreamRate": {"value": 2000, "unit": "Mbps"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"targetMinDownstreamRate": {"value": -1, "unit": "Mbps"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"targetMinUpstreamRate": {"value": 10, "unit": "mbps"}}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetLossErrorRate": 0}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetLossErrorRate": 11}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetLossErrorRate": 2.5}}""", "INVALID_ARGUMENT" },
        { """{"computeResources": {"targetMinMemory": {"value": 2048, "unit": "Gb"}}}""", "INVALID_ARGUMENT" },
        { """{"computeResources": {"targetMinEphemeralStorage": {"value": 1, "unit": "Pb"}}}""", "INVALID_ARGUMENT" },
        { """{"computeResources": {"gpuVendorType": "Intel"}}""", "INVALID_ARGUMENT" },
        { """{"computeResources": {"targetMinCPU": "half"}}""", "INVALID_ARGUMENT" },
        { """{"networkQualityThresholds": {"packetLossErrorRate": 3}""", "INVALID_ARGUMENT" },
    };

    [Theory]
    [MemberData(nameof(BadThresholds))]
    public async Task CreatingAProfileWithBadThresholdsIsRejectedAndStoresNothing(string body, string code)
    {
        var before = await CountAsync();
        await QodErrorTests.AssertErrorAsync(await SendAsync(fixture.Client, HttpMethod.Post, Base, body), 400, code);
        Assert.Equal(before, await CountAsync());
    }

    [Theory]
    [MemberData(nameof(BadThresholds))]
    public async Task ReplacingAProfileWithBadThresholdsIsRejectedAndChangesNothing(string body, string code)
    {
        var path = $"{Base}/{fixture.Existing}";
        var before = await fixture.Client.GetStringAsync(path);
        // The same thresholds inside a valid ApplicationProfile envelope.
        var patch = $"{{\"applicationProfileId\": \"{fixture.Existing}\"" + (body == "{}" ? "}" : ", " + body[1..]);
        await QodErrorTests.AssertErrorAsync(await SendAsync(fixture.Client, HttpMethod.Patch, path, patch), 400, code);
        Assert.Equal(before, await fixture.Client.GetStringAsync(path));
    }

    /// <summary>Every other CAMARA error of the four operations: 400, 401, 403, 404 (and routing's 405).</summary>
    public static TheoryData<string, string, string, string?, int, string> OtherErrors => new()
    {
        { "w", "GET", $"{Base}/not-a-uuid", null, 400, "INVALID_ARGUMENT" },
        { "w", "GET", $"{Base}/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "-", "GET", $"{Base}/{Guid.Empty}", null, 401, "UNAUTHENTICATED" },
        { "w", "PATCH", $"{Base}/nope", """{"applicationProfileId": "nope", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 400, "INVALID_ARGUMENT" },
        { "w", "PATCH", $"{Base}/{Guid.Empty}", $$$"""{"applicationProfileId": "{{{Guid.Empty}}}", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 404, "NOT_FOUND" },
        { "w", "PATCH", "{existing}", """{"networkQualityThresholds": {"packetLossErrorRate": 3}}""", 400, "INVALID_ARGUMENT" },
        { "w", "PATCH", "{existing}", """{"applicationProfileId": "x", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 400, "INVALID_ARGUMENT" },
        { "w", "PATCH", "{existing}", $$$"""{"applicationProfileId": "{{{Guid.NewGuid()}}}", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 400, "INVALID_ARGUMENT" },
        { "r", "PATCH", "{existing}", """{"applicationProfileId": "{existing-id}", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 403, "PERMISSION_DENIED" },
        { "-", "PATCH", "{existing}", """{"applicationProfileId": "{existing-id}", "networkQualityThresholds": {"packetLossErrorRate": 3}}""", 401, "UNAUTHENTICATED" },
        { "w", "DELETE", $"{Base}/123", null, 400, "INVALID_ARGUMENT" },
        { "w", "DELETE", $"{Base}/{Guid.Empty}", null, 404, "NOT_FOUND" },
        { "r", "DELETE", "{existing}", null, 403, "PERMISSION_DENIED" },
        { "-", "DELETE", "{existing}", null, 401, "UNAUTHENTICATED" },
        { "r", "POST", Base, """{"networkQualityThresholds": {"packetLossErrorRate": 3}}""", 403, "PERMISSION_DENIED" },
        { "-", "POST", Base, """{"networkQualityThresholds": {"packetLossErrorRate": 3}}""", 401, "UNAUTHENTICATED" },
        { "w", "PUT", "{existing}", "{}", 405, "METHOD_NOT_ALLOWED" },
    };

    [Theory]
    [MemberData(nameof(OtherErrors))]
    public async Task ReadingReplacingDeletingWithABadRequestReturnsTheSpecCode(string token, string method, string path, string? body, int status, string code)
    {
        var existing = fixture.Existing.ToString();
        var client = token switch { "w" => fixture.Client, "r" => fixture.ReadOnly, _ => fixture.Host.CreateCheckedClient() };
        await QodErrorTests.AssertErrorAsync(
            await SendAsync(client, new HttpMethod(method), path.Replace("{existing}", $"{Base}/{existing}"), body?.Replace("{existing-id}", existing)),
            status, code);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync($"{Base}/{existing}")).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await client.SendAsync(request);
    }

    private async Task<int> CountAsync()
    {
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={fixture.Host.DatabasePath}");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM application_profiles";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
