using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace CamaraQos.Controller.Tests.Auth;

/// <summary>Issue 14 item 4: the token and CIBA endpoints are limited per client as well as per address.</summary>
public sealed class FairLimitsTests
{
    /// <summary>Every test request arrives from this socket address, as if through one reverse proxy.</summary>
    private static readonly IPAddress Proxy = IPAddress.Parse("10.0.0.1");

    private static ControllerFactory Host(params (string Key, string Value)[] settings)
    {
        var factory = new ControllerFactory
        {
            UseTestAuthentication = false,
            TestServices = s => s.AddSingleton<IStartupFilter>(new FromProxy()),
            Settings = { ["Sandbox:Enabled"] = "true" },
        };
        foreach (var (key, value) in settings)
        {
            factory.Settings[key] = value;
        }
        return factory;
    }

    private static async Task<HttpResponseMessage> Token(HttpClient client, string id, string secret, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task WrongSecretsFromOneClientBehindAProxyDoNotLockOutAnotherClient()
    {
        await using var factory = Host(("RateLimiting:PermitLimit", "3"), ("RateLimiting:AddressPermitLimit", "100"));
        using var client = factory.CreateDefaultClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await Token(client, "sandbox-client", "not-the-secret");
            statuses.Add(wrong.StatusCode);
        }
        using var other = await Token(client, "sandbox-client-2", "sandbox-secret-2");
        using var lockedOut = await Token(client, "sandbox-client", "sandbox-secret");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOut.StatusCode);
        Assert.Equal("temporarily_unavailable", JsonDocument.Parse(await lockedOut.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task TheAddressLimitCountsTheForwardedClientWhenTheProxyIsConfigured()
    {
        await using var factory = Host(("RateLimiting:AddressPermitLimit", "2"), ("ForwardedHeaders:KnownProxies:0", Proxy.ToString()));
        using var client = factory.CreateDefaultClient();

        using var first = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.1");
        using var second = await Token(client, "sandbox-client-2", "sandbox-secret-2", "203.0.113.1");
        using var third = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.1");
        using var elsewhere = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersAreIgnoredUnlessProxiesAreConfigured()
    {
        await using var factory = Host(("RateLimiting:AddressPermitLimit", "2"));
        using var client = factory.CreateDefaultClient();

        using var first = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.1");
        using var second = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.2");
        using var third = await Token(client, "sandbox-client", "sandbox-secret", "203.0.113.3");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task OutstandingCibaRequestsAreCappedPerClient()
    {
        await using var factory = Host(("Auth:CibaMaxOutstandingPerClient", "2"));
        using var client = factory.CreateDefaultClient();

        async Task<HttpResponseMessage> Authorize(string id, string secret)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/oauth2/bc-authorize")
            {
                Content = new FormUrlEncodedContent([new("login_hint", "tel:+34600000001"), new("scope", "openid")]),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
            return await client.SendAsync(request);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await Authorize("sandbox-client", "sandbox-secret");
            statuses.Add(response.StatusCode);
        }
        using var other = await Authorize("sandbox-client-2", "sandbox-secret-2");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.example")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("RateLimiting:AddressPermitLimit", "0")]
    public async Task BadForwardingOrLimitSettingFailsStartNamingTheKey(string key, string value)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection([new(key, value)]);
        builder.AddCamaraCommon();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key, error.Message, StringComparison.Ordinal);
    }

    private sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = Proxy;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
