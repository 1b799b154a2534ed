using CamaraQos.Controller.Observability;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Xunit;

namespace CamaraQos.Controller.Tests.Observability;

public sealed class LogEscapingTests
{
    private const string Forged = "evil\nfail: CamaraQos.Controller.Errors[0]\r\n      forged\u2028line\u001b[31m";

    public static TheoryData<string> Formats => ["simple", "systemd", "json"];

    /// <summary>Issue 14: "a client id with a newline prints a forged fail: line in the controller's log".</summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void AClientValueWithLineBreaksStaysOnItsOwnLogLine(string format)
    {
        using var factory = new ControllerFactory();
        var formatter = factory.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == format);
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["ClientId"] = Forged });
        using var output = new StringWriter { NewLine = "\n" };

        var entry = new LogEntry<string>(LogLevel.Information, "CamaraQos.Controller.Auth", new EventId(1), Forged, null,
            (state, _) => $"Issued a token to client {state}");
        formatter.Write(in entry, scopes, output);

        var text = output.ToString();
        Assert.IsType<EscapingConsoleFormatter>(formatter);
        // The one entry is one line (simple writes the level/category header on its own line first).
        Assert.DoesNotContain("\nfail:", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
        Assert.DoesNotContain('\u2028', text);
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains(format == "json" ? "evil\\\\nfail:" : "evil\\nfail:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryConsoleFormatIsEscaped()
    {
        using var factory = new ControllerFactory();

        Assert.All(factory.Services.GetServices<ConsoleFormatter>(), f => Assert.IsType<EscapingConsoleFormatter>(f));
    }
}
