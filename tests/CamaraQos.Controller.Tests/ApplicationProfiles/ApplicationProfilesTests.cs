using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CamaraQos.Controller.Tests.QualityOnDemand;
using Xunit;

namespace CamaraQos.Controller.Tests.ApplicationProfiles;

/// <summary>The profile lifecycle through real tokens; every response is checked against application-profiles-v0.5.0.yaml.</summary>
public sealed class ApplicationProfilesTests : IAsyncLifetime
{
    public const string Base = "/application-profiles/v0.5/application-profiles";
    private readonly QodHost _host = new();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync() => _client = await _host.ClientAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    internal static object Gaming => new
    {
        networkQualityThresholds = new
        {
            packetDelayBudget = new { value = 20, unit = "Milliseconds" },
            jitter = new { value = 5, unit = "Milliseconds" },
            packetLossErrorRate = 3,
            targetMinDownstreamRate = new { value = 10, unit = "Mbps" },
            targetMinUpstreamRate = new { value = 2, unit = "Mbps" },
        },
    };

    /// <summary>Creates a profile as <paramref name="client"/> and returns its id.</summary>
    internal static async Task<Guid> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync(Base, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToString());
        return json.GetProperty("applicationProfileId").GetGuid();
    }

    [Fact]
    public async Task AProfileIsCreatedReadReplacedAndDeleted()
    {
        var created = await _client.PostAsJsonAsync(Base, Gaming);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("applicationProfileId").GetGuid();
        Assert.Equal($"{Base}/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(3, body.GetProperty("networkQualityThresholds").GetProperty("packetLossErrorRate").GetInt32());

        var read = await _client.GetFromJsonAsync<JsonElement>($"{Base}/{id}");
        Assert.Equal(body.GetRawText(), read.GetRawText());

        var patched = await _client.PatchAsJsonAsync($"{Base}/{id}", new
        {
            applicationProfileId = id,
            networkQualityThresholds = new { jitter = new { value = 30, unit = "Milliseconds" } },
            computeResources = new { targetMinCPU = 0.5, gpuVendorType = "AMD" },
        });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var replaced = await _client.GetFromJsonAsync<JsonElement>($"{Base}/{id}");
        // PATCH replaces the whole set: thresholds the body left out are gone.
        Assert.Equal("""{"jitter":{"value":30,"unit":"Milliseconds"}}""", replaced.GetProperty("networkQualityThresholds").GetRawText());
        Assert.Equal(0.5, replaced.GetProperty("computeResources").GetProperty("targetMinCPU").GetDouble());

        var deleted = await _client.DeleteAsync($"{Base}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"{Base}/{id}")).StatusCode);
    }

    [Fact]
    public async Task AComputeOnlyProfileIsAccepted()
    {
        var id = await CreateAsync(_client, new { computeResources = new { targetMinMemory = new { value = 512, unit = "Mb" }, targetMinGPU = 1 } });
        var read = await _client.GetFromJsonAsync<JsonElement>($"{Base}/{id}");
        Assert.False(read.TryGetProperty("networkQualityThresholds", out _));
        Assert.Equal(1, read.GetProperty("computeResources").GetProperty("targetMinGPU").GetInt32());
    }

    [Fact]
    public async Task ProfilesAreVisibleOnlyToTheClientThatCreatedThem()
    {
        var id = await CreateAsync(_client, Gaming);
        using var other = await _host.ClientAsync("sandbox-client-2", "sandbox-secret-2");
        foreach (var response in new[]
        {
            await other.GetAsync($"{Base}/{id}"),
            await other.PatchAsJsonAsync($"{Base}/{id}", new { applicationProfileId = id, networkQualityThresholds = new { packetLossErrorRate = 2 } }),
            await other.DeleteAsync($"{Base}/{id}"),
        })
        {
            await QodErrorTests.AssertErrorAsync(response, 403, "PERMISSION_DENIED");
        }
        Assert.Equal(3, (await _client.GetFromJsonAsync<JsonElement>($"{Base}/{id}")).GetProperty("networkQualityThresholds").GetProperty("packetLossErrorRate").GetInt32());
    }

    [Fact]
    public async Task ProfilesSurviveAControllerRestart()
    {
        var path = QodHost.NewDatabasePath();
        try
        {
            Guid id;
            await using (var first = new QodHost(path))
            {
                id = await CreateAsync(await first.ClientAsync(), Gaming);
            }
            await using var second = new QodHost(path);
            var read = await (await second.ClientAsync()).GetFromJsonAsync<JsonElement>($"{Base}/{id}");
            Assert.Equal(20, read.GetProperty("networkQualityThresholds").GetProperty("packetDelayBudget").GetProperty("value").GetInt32());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            QodHost.DeleteDatabase(path);
        }
    }
}
