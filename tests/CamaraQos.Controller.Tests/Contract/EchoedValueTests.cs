using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Camara;
using Xunit;

namespace CamaraQos.Controller.Tests.Contract;

/// <summary>A value a client sent comes back in an error at most <see cref="ClientValue.MaxEchoed"/> characters long.</summary>
public sealed class EchoedValueTests(HostileInputHost fixture) : IClassFixture<HostileInputHost>
{
    // Long, but under the body limit, so the operation itself answers.
    private static readonly string Long = new('g', 40_000);

    [Fact]
    public async Task ALongGrantTypeIsEchoedCappedWithAnEllipsis()
    {
        using var client = fixture.Host.CreateClient();
        var response = await client.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = Long, ["client_id"] = "sandbox-client", ["client_secret"] = "sandbox-secret",
        }));

        await AssertCappedAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ALongCibaScopeIsEchoedCapped()
    {
        using var client = fixture.Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/bc-authorize")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["login_hint"] = "tel:+34600000001", ["scope"] = "openid " + Long }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("sandbox-client:sandbox-secret"u8.ToArray()));

        await AssertCappedAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ALongPhoneNumberInTheAdminSubscriberApiIsEchoedCapped()
    {
        var response = await fixture.Admin.PutAsJsonAsync("/admin/v1/subscribers/long-phone", new { phoneNumbers = new[] { Long }, agentId = "sandbox-gw-1" });

        await AssertCappedAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("short", "short")]
    [InlineData("a\nfail: forged", "a?fail: forged")]
    public void AShortValueIsEchoedAsIsWithControlCharactersShown(string value, string echoed) =>
        Assert.Equal(echoed, ClientValue.Echo(value));

    private static async Task AssertCappedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, text);
        Assert.True(text.Length < 400, $"{text.Length} characters: {text[..Math.Min(300, text.Length)]}");
        using var body = JsonDocument.Parse(text);
        var message = body.RootElement.TryGetProperty("message", out var m) ? m.GetString()! : body.RootElement.GetProperty("error_description").GetString()!;
        Assert.Contains(new string('g', ClientValue.MaxEchoed) + "…", message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('g', ClientValue.MaxEchoed + 1), message, StringComparison.Ordinal);
    }
}
