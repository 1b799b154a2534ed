using CamaraQos.Controller.Hosting;
using Microsoft.AspNetCore.Builder;
using Xunit;

namespace CamaraQos.Controller.Tests.Hosting;

/// <summary>
/// <c>--config FILE</c>: the package's <c>/etc/camaraqos/controller.json</c>. Each test owns a content root
/// with its own appsettings.json and a section name of its own, so the environment variables it sets
/// cannot meet another test's.
/// </summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cqc-config-");
    private readonly string _section = $"ConfigFileTest{Guid.NewGuid():N}";

    [Fact]
    public void TheConfigFileOverridesAppSettingsAndIsOverriddenByTheEnvironmentAndTheCommandLine()
    {
        Write("appsettings.json", new() { ["A"] = "appsettings", ["B"] = "appsettings", ["C"] = "appsettings", ["D"] = "appsettings" });
        var file = Write("controller.json", new() { ["B"] = "file", ["C"] = "file", ["D"] = "file" });
        Environment.SetEnvironmentVariable($"{_section}__C", "environment");
        try
        {
            var builder = Build(["--config", file, $"--{_section}:D=command-line"]);

            Assert.Equal("appsettings", builder.Configuration[$"{_section}:A"]);
            Assert.Equal("file", builder.Configuration[$"{_section}:B"]);
            Assert.Equal("environment", builder.Configuration[$"{_section}:C"]);
            Assert.Equal("command-line", builder.Configuration[$"{_section}:D"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{_section}__C", null);
        }
    }

    [Fact]
    public void TheEqualsFormIsHonouredAndTheLastConfigSwitchWins()
    {
        var first = Write("first.json", new() { ["A"] = "first" });
        var last = Write("last.json", new() { ["A"] = "last" });

        Assert.Equal("first", Build([$"--config={first}"]).Configuration[$"{_section}:A"]);
        Assert.Equal("last", Build(["--config", first, $"--config={last}"]).Configuration[$"{_section}:A"]);
    }

    [Fact]
    public void WithoutTheSwitchNoFileIsAdded()
    {
        var plain = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = _dir.FullName });
        var before = plain.Configuration.Sources.Count;

        plain.AddConfigFile([]);

        Assert.Equal(before, plain.Configuration.Sources.Count);
    }

    [Fact]
    public void AMissingConfigFileFailsTheStartNamingTheSwitchAndThePath()
    {
        var missing = Path.Combine(_dir.FullName, "absent.json");

        var e = Assert.Throws<ConfigurationException>(() => Build(["--config", missing]));

        Assert.Equal($"--config: the configuration file '{missing}' does not exist.", e.Message);
    }

    [Fact]
    public void TheConfigSwitchWithoutAPathFailsNamingTheSwitch()
    {
        var e = Assert.Throws<ConfigurationException>(() => Build(["--config", "--urls=http://127.0.0.1:0"]));

        Assert.StartsWith("--config needs a file path", e.Message, StringComparison.Ordinal);
    }

    private WebApplicationBuilder Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = _dir.FullName });
        return builder.AddConfigFile(args);
    }

    private string Write(string name, Dictionary<string, string> section)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { [_section] = section }));
        return path;
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
