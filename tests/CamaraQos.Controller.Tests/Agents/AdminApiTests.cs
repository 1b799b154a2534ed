using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace CamaraQos.Controller.Tests.Agents;

public sealed class AdminApiTests : IAsyncLifetime
{
    private readonly TempDatabase _db = new();
    private AgentsHost _host = null!;
    private HttpClient _admin = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _host = new AgentsHost(_db);
        await _host.StartAsync(Ct);
        _admin = await _host.AdminAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        _db.Dispose();
    }

    [Fact]
    public async Task RegisteringCreatesThenUpdatesTheAgent()
    {
        using var created = await _admin.PutAsJsonAsync("/admin/v1/agents/gw-1", new { password = "first-password-1" }, Ct);
        using var updated = await _admin.PutAsJsonAsync("/admin/v1/agents/gw-1", new { password = "second-password-2" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, updated.StatusCode);
        Assert.False(_host.Directory.VerifyPassword("gw-1", "first-password-1"));
        Assert.True(_host.Directory.VerifyPassword("gw-1", "second-password-2"));
        var agent = await _admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents/gw-1", Ct);
        Assert.False(agent.GetProperty("online").GetBoolean());
        Assert.Equal(0, agent.GetProperty("inventory").GetArrayLength());
    }

    [Theory]
    [InlineData("gw-1", """{"password":"short"}""")]
    [InlineData("gw-1", """{}""")]
    [InlineData("gw-1", """{"password":null}""")]
    [InlineData("gw%2F1", """{"password":"long-enough-password"}""")]
    [InlineData("gw+1", """{"password":"long-enough-password"}""")]
    [InlineData("gw-1", """not json""")]
    public async Task InvalidRegistrationsAreRejectedWithInvalidArgumentAndChangeNothing(string agentId, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _admin.PutAsync($"/admin/v1/agents/{agentId}", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("code").GetString());
        Assert.Empty(_host.Directory.All());
    }

    [Fact]
    public async Task UnknownAgentsAreNotFound()
    {
        using var get = await _admin.GetAsync("/admin/v1/agents/nobody", Ct);
        using var delete = await _admin.DeleteAsync("/admin/v1/agents/nobody", Ct);

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("NOT_FOUND", (await get.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task DeletingAnAgentWithdrawsItsCredentialsAndHidesIt()
    {
        await _host.RegisterAsync("gw-d", "delete-me-password", Ct);

        using var delete = await _admin.DeleteAsync("/admin/v1/agents/gw-d", Ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.False(_host.Directory.VerifyPassword("gw-d", "delete-me-password"));
        Assert.Equal(0, (await _admin.GetFromJsonAsync<JsonElement>("/admin/v1/agents", Ct)).GetArrayLength());
    }

    [Fact]
    public async Task TheAdminApiNeedsAnAdminToken()
    {
        using var anonymous = _host.CreateClient();
        using var response = await anonymous.GetAsync("/admin/v1/agents", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHENTICATED", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }
}
