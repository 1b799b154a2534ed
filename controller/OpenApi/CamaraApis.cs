namespace CamaraQos.Controller.OpenApi;

/// <summary>One CAMARA API this controller serves, its base path and its normative spec file.</summary>
public sealed record CamaraApi(string BasePath, string SpecFile)
{
    /// <summary>The document name in <c>/openapi/{Name}.yaml</c>: the spec file without its extension.</summary>
    public string Name => Path.GetFileNameWithoutExtension(SpecFile);
}

/// <summary>
/// docs/ARCHITECTURE.md §2, one line per API. The YAML files are embedded unmodified from
/// specs/camara (see the controller csproj); adding an API is a line here and one there.
/// </summary>
public static class CamaraApis
{
    public static IReadOnlyList<CamaraApi> All { get; } =
    [
        new("/quality-on-demand/v1", "quality-on-demand-v1.1.0.yaml"),
        new("/qod/v0", "quality-on-demand-v0.10.1.yaml"),
        new("/qos-profiles/v1", "qos-profiles-v1.1.0.yaml"),
        new("/qos-provisioning/v0.3", "qos-provisioning-v0.3.0.yaml"),
        new("/application-profiles/v0.5", "application-profiles-v0.5.0.yaml"),
        new("/connectivity-insights/v0.6", "connectivity-insights-v0.6.0.yaml"),
        new("/connectivity-insights-subscriptions/v0.6", "connectivity-insights-subscriptions-v0.6.0.yaml"),
        new("/home-devices-qod/v0.4", "home-devices-qod-v0.4.0.yaml"),
    ];

    /// <summary>The API whose base path prefixes <paramref name="path"/> (longest match wins).</summary>
    public static CamaraApi? ForPath(string path) => All
        .Where(a => path.StartsWith(a.BasePath + "/", StringComparison.Ordinal) || path == a.BasePath)
        .MaxBy(a => a.BasePath.Length);
}
