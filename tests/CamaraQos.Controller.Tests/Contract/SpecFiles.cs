namespace CamaraQos.Controller.Tests.Contract;

/// <summary>
/// Finds the normative CAMARA YAML: <c>specs/camara</c> at the repository's root, found by walking up
/// from the test binaries.
/// </summary>
public static class SpecFiles
{
    public const string Commonalities = "CAMARA_common-commonalities-r3.4-v0.6.1.yaml";

    private static readonly Lazy<string> Found = new(Locate);

    public static string Directory => Found.Value;

    public static string PathOf(string specFile) => System.IO.Path.Combine(Directory, specFile);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "specs", "camara");
            if (File.Exists(System.IO.Path.Combine(candidate, Commonalities)))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException(
            $"No specs/camara found above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
