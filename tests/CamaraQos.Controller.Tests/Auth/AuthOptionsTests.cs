using CamaraQos.Controller.Auth;
using CamaraQos.Controller.Camara;
using Xunit;

namespace CamaraQos.Controller.Tests.Auth;

public class AuthOptionsTests
{
    [Theory]
    [InlineData("Auth:TokenLifetimeSeconds", "0", "Auth:TokenLifetimeSeconds")]
    [InlineData("Auth:Authority", "not a url", "Auth:Authority")]
    [InlineData("Auth:Clients:1:ClientSecret", "", "Auth:Clients:1:ClientSecret")]
    [InlineData("Auth:Clients:1:ClientId", "app", "Auth:Clients:1:ClientId")]
    [InlineData("Auth:Clients:0:Scopes", "qos-profiles:read typo:scope", "Auth:Clients:0:Scopes")]
    public async Task BadAuthConfigurationFailsTheStartNamingTheKey(string key, string value, string named)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = new AuthHost(settings: new Dictionary<string, string?> { [key] = value });
        });

        Assert.True(error.ToString().Contains(named, StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public async Task CorruptSigningKeyFileFailsTheStartNamingTheKey()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "not a key", TestContext.Current.CancellationToken);
            var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await using var host = new AuthHost(settings: new Dictionary<string, string?> { ["Auth:SigningKeyPath"] = path });
            });
            Assert.Contains("Auth:SigningKeyPath", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(null, "a b", "a b", null)]
    [InlineData("b", "a b", "b", null)]
    [InlineData("b c", "a b c", "b c", null)]
    [InlineData("b z", "a b", "b", null)]
    [InlineData("z", "a b", "", "allowed")]
    [InlineData("openid", "a", "openid a", null)]
    [InlineData("openid b", "a b", "openid b", null)]
    [InlineData("bogus", "a b", "", "Unknown scope")]
    public void ScopeGrantIsRequestedIntersectAllowedAndRejectsUnknownScopes(string? requested, string allowed, string granted, string? error)
    {
        // Letters stand for real scopes so the table stays readable.
        var map = new Dictionary<string, string> { ["a"] = Scopes.QodCreate, ["b"] = Scopes.QodRead, ["c"] = Scopes.QosProfilesRead, ["z"] = Scopes.Admin };
        string Real(string? s) => string.Join(' ', (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => map.GetValueOrDefault(x, x)));

        var result = ScopeGrant.Decide(requested is null ? null : Real(requested), ScopeGrant.Parse(Real(allowed)), allowOpenId: true);

        Assert.Equal(Real(granted), result.Scope);
        if (error is null)
        {
            Assert.Null(result.Error);
        }
        else
        {
            Assert.Contains(error, result.Error, StringComparison.Ordinal);
        }
    }
}
