using Xunit;

namespace CamaraQos.Agent.Tests.Control;

/// <summary>The agent executable's start-up contract: a bad value ends in one line naming the key, exit 2.</summary>
public class AgentProcessTests
{
    private static readonly string[] Valid =
    [
        "--config", "/nonexistent/agent.json", "--Agent:Id=gw-1", "--Mqtt:Host=127.0.0.1", "--Agent:WanInterface=wan0",
        "--Agent:LanInterfaces=lan0", "--Agent:UplinkKbps=20000", "--Agent:DownlinkKbps=100000",
    ];

    [Theory]
    [InlineData("--Agent:Id=", "Agent:Id: is required")]
    [InlineData("--Mqtt:Port=99999", "Mqtt:Port: '99999' is not a whole number")]
    [InlineData("--Agent:LanInterfaces=wan0", "Agent:LanInterfaces: ")]
    [InlineData("--Agent:MaxPolicies=abc", "Agent:MaxPolicies: 'abc' is not a whole number")]
    public async Task ABadValueStopsTheAgentWithAMessageNamingTheKeyAndNoStackTrace(string bad, string message)
    {
        var run = await Command.RunAsync(AgentBinary.Path, [.. Valid, bad]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("camaraqos-agent: configuration error: " + message, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAgentFileIsReadFromTheConfigPath()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cqc-agent-").FullName, "agent.json");
        await File.WriteAllTextAsync(file, """{"Agent": {"Id": "bad/id"}}""", TestContext.Current.CancellationToken);
        try
        {
            var run = await Command.RunAsync(AgentBinary.Path, ["--config", file, "--Mqtt:Host=127.0.0.1"]);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("Agent:Id: use 1-64 letters", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
