using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Hosting;

/// <summary>A configuration value or file that cannot work (the message names the key or switch).</summary>
public sealed class ConfigurationException(string message) : Exception(message);

/// <summary>
/// A start that cannot work because of its configuration ends with one line naming the key and exit code 2,
/// as the agent's does, instead of an unhandled exception (a stack trace and SIGABRT): systemd sees a clean
/// failure, and the unit's <c>RestartPreventExitStatus=2</c> stops it retrying a configuration that cannot start.
/// </summary>
public static partial class StartupFailure
{
    public const int ConfigurationExitCode = 2;

    public static int ExitCodeOf(Action run)
    {
        try
        {
            run();
            return 0;
        }
        // Only as the process's own entry point: a host that runs Program in its process (WebApplicationFactory
        // in the tests) sees the exception itself, as it would without this.
        catch (Exception e) when (Assembly.GetEntryAssembly() == typeof(StartupFailure).Assembly && MessageOf(e) is { } message)
        {
            Console.Error.WriteLine($"camaraqos-controller: configuration error: {message}");
            return ConfigurationExitCode;
        }
    }

    /// <summary>What to tell the operator, or null when <paramref name="e"/> is not about configuration.</summary>
    internal static string? MessageOf(Exception e) => e switch
    {
        OptionsValidationException o => o.Message,
        ConfigurationException c => c.Message,
        InvalidOperationException i when BinderFailure().Match(i.Message) is { Success: true } m => Unconvertible(m),
        // Several hosted services' validations failing at once.
        AggregateException a when a.InnerExceptions.All(i => MessageOf(i) is not null) =>
            string.Join("; ", a.InnerExceptions.Select(i => MessageOf(i))),
        _ => null,
    };

    // The configuration binder's words for a value of the wrong type; its type name means nothing to an operator.
    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderFailure();

    private static string Unconvertible(Match m)
    {
        var type = typeof(StartupFailure).Assembly.GetType(m.Groups["type"].Value) ?? Type.GetType(m.Groups["type"].Value);
        var expected = type is { IsEnum: true } ? $"one of {string.Join(", ", Enum.GetNames(type))}"
            : type is null ? "a value of another kind" : $"a value of type {type.Name}";
        return $"{m.Groups["key"].Value}: '{m.Groups["value"].Value}' is not valid; expected {expected}.";
    }
}
