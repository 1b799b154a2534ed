using System.Net;
using CamaraQos.Controller.Tests.Contract;
using CamaraQos.Controller.Tests.TestHost;
using Xunit;

namespace CamaraQos.Controller.Tests.QosProfiles;

public sealed class QosProfileLimitsTests
{
    [Fact]
    public async Task ACallerOverItsRateLimitGetsTooManyRequestsOnBothOperations()
    {
        await using var factory = new ControllerFactory { Settings = { ["RateLimiting:PermitLimit"] = "1", ["RateLimiting:WindowSeconds"] = "3600" } };
        using var client = Callers.Client(factory, "2-legged");

        var first = await client.GetAsync("/qos-profiles/v1/qos-profiles/QOS_E", TestContext.Current.CancellationToken);
        var second = await client.GetAsync("/qos-profiles/v1/qos-profiles/QOS_E", TestContext.Current.CancellationToken);
        var third = await client.PostAsync("/qos-profiles/v1/retrieve-qos-profiles", Callers.Json("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ContractCheck.AssertCamaraErrorAsync(second, 429, "TOO_MANY_REQUESTS");
        await ContractCheck.AssertCamaraErrorAsync(third, 429, "TOO_MANY_REQUESTS");
    }
}

public sealed class QosProfilesWithRealTokensTests
{
    [Fact]
    public async Task ASandboxTokenReadsProfilesAndATokenWithoutTheScopeIsForbidden()
    {
        await using var factory = new ControllerFactory { UseTestAuthentication = false, Settings = { ["Sandbox:Enabled"] = "true" } };
        using var reader = await factory.CreateTokenClientAsync("sandbox-client", "sandbox-secret");
        using var admin = await factory.CreateTokenClientAsync("sandbox-admin", "sandbox-admin-secret");

        var ok = await reader.GetAsync("/qos-profiles/v1/qos-profiles/QOS_E", TestContext.Current.CancellationToken);
        var forbidden = await admin.GetAsync("/qos-profiles/v1/qos-profiles/QOS_E", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await ContractCheck.AssertCamaraErrorAsync(forbidden, 403, "PERMISSION_DENIED");
    }
}
