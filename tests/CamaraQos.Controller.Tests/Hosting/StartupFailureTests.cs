using Xunit;

namespace CamaraQos.Controller.Tests.Hosting;

/// <summary>The real controller process, started with a configuration that cannot work.</summary>
public class StartupFailureTests
{
    [Theory]
    [InlineData("--Storage:ConnectionString=", "Storage:ConnectionString")]
    [InlineData("--config=/nonexistent/camaraqos-controller.json", "--config")]
    [InlineData("--config", "--config")]
    public async Task ABadConfigurationEndsTheStartWithOneLineNamingTheKeyAndExitCode2(string bad, string key)
    {
        var line = await ControllerProcess.RefusesToStartAsync([bad]);

        Assert.Contains(key, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Mode=Carrier-pigeon", "Mqtt:Mode: 'Carrier-pigeon' is not valid; expected one of Embedded, External.")]
    [InlineData("--Mqtt:Provisioning=Carrier-pigeon", "Mqtt:Provisioning: 'Carrier-pigeon' is not valid; expected one of Embedded, Manual, MosquittoDynamicSecurity.")]
    [InlineData("--Mqtt:Port=abc", "Mqtt:Port: 'abc' is not valid; expected a value of type Int32.")]
    public async Task AValueOfTheWrongKindIsNamedWithWhatTheKeyTakesNotTheBindersTypeName(string bad, string message)
    {
        var line = await ControllerProcess.RefusesToStartAsync([bad], quiet: false);

        Assert.EndsWith(message, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Mqtt:Provisioning=Manual", "Mqtt:Provisioning=Manual needs Mqtt:Mode=External; the embedded broker checks agent credentials itself.")]
    [InlineData("--Mqtt:Provisioning=Embedded --Mqtt:Mode=External --Mqtt:Host=broker.example.net",
        "Mqtt:Provisioning=Embedded needs Mqtt:Mode=Embedded; with an external broker use Manual or MosquittoDynamicSecurity.")]
    public async Task AProvisioningThatDoesNotFitTheBrokerModeIsRefusedNamingTheKey(string bad, string message)
    {
        // Not quiet: the Mqtt options are read while the host builds its services, which logs the failure first.
        var line = await ControllerProcess.RefusesToStartAsync(bad.Split(' '), quiet: false);

        Assert.EndsWith(message, line, StringComparison.Ordinal);
    }
}
