using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace CamaraQos.Controller.Hosting;

/// <summary>
/// <c>--config FILE</c> (or <c>--config=FILE</c>): a JSON file layered above appsettings.json and below the
/// environment and the command line, so <c>A__B</c> and <c>--A:B=</c> still override it. The Debian package's
/// unit passes <c>/etc/camaraqos/controller.json</c> (docs/OPERATIONS.md).
/// </summary>
public static class ConfigFile
{
    public const string Switch = "--config";

    public static WebApplicationBuilder AddConfigFile(this WebApplicationBuilder builder, string[] args)
    {
        if (PathIn(args) is not { } path)
        {
            return builder;
        }
        // Checked here, not left to the JSON provider, so the message names the switch, not an internal file provider.
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConfigurationException($"{Switch}: the configuration file '{full}' does not exist.");
        }
        var file = new JsonConfigurationSource
        {
            Path = Path.GetFileName(full),
            Optional = false,
            ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(Path.GetDirectoryName(full)!),
        };
        var sources = builder.Configuration.Sources;
        var environment = sources.Select((s, i) => (s, i))
            .FirstOrDefault(p => p.s is EnvironmentVariablesConfigurationSource { Prefix: null or "" }, (null!, sources.Count)).i;
        sources.Insert(environment, file);
        return builder;
    }

    /// <summary>The last <c>--config</c> given wins, as the last of any repeated command-line key does.</summary>
    internal static string? PathIn(string[] args)
    {
        string? path = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Switch)
            {
                path = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new ConfigurationException($"{Switch} needs a file path: {Switch} /etc/camaraqos/controller.json.");
            }
            else if (args[i].StartsWith(Switch + "=", StringComparison.Ordinal))
            {
                path = args[i][(Switch.Length + 1)..];
            }
        }
        return string.IsNullOrWhiteSpace(path) ? null : path;
    }
}
