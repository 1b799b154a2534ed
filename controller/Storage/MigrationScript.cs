using System.Globalization;

namespace CamaraQos.Controller.Storage;

/// <summary>
/// One schema change, applied once. Files in <c>Storage/Migrations</c> are named <c>NNNN_what.sql</c> (both
/// providers) or <c>NNNN_what.postgres.sql</c> / <c>NNNN_what.sqlite.sql</c> where the dialects differ; a
/// provider's own variant wins over the shared file of the same number.
/// </summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "CamaraQos.Controller.Storage.Migrations.";

    /// <summary>The scripts embedded in the controller (csproj: Storage/Migrations/*.sql), for this provider.</summary>
    public static IReadOnlyList<MigrationScript> Embedded(StorageProvider provider)
    {
        var assembly = typeof(MigrationScript).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return KeyValuePair.Create(n[ResourcePrefix.Length..], reader.ReadToEnd());
            });
        return Select(files, provider);
    }

    /// <summary>
    /// The provider's scripts in version order. Versions run 1, 2, 3... without a gap or a duplicate, so a
    /// misnamed file fails every start (and the tests) instead of being skipped on some databases.
    /// </summary>
    public static IReadOnlyList<MigrationScript> Select(IEnumerable<KeyValuePair<string, string>> files, StorageProvider provider)
    {
        var own = provider == StorageProvider.Postgres ? ".postgres.sql" : ".sqlite.sql";
        var other = provider == StorageProvider.Postgres ? ".sqlite.sql" : ".postgres.sql";
        var scripts = files
            .Where(f => !f.Key.EndsWith(other, StringComparison.Ordinal))
            .Select(f => new MigrationScript(VersionOf(f.Key), f.Key, f.Value))
            .GroupBy(s => s.Version)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var variants = g.Where(s => s.Name.EndsWith(own, StringComparison.Ordinal)).ToList();
                var chosen = variants.Count > 0 ? variants : g.ToList();
                return chosen.Count == 1
                    ? chosen[0]
                    : throw new InvalidOperationException($"Migration version {g.Key} has several scripts for {provider}: {string.Join(", ", chosen.Select(s => s.Name))}.");
            })
            .ToList();
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration {scripts[i].Name} should be number {i + 1}: versions run 1, 2, 3... without a gap.");
            }
        }
        return scripts;
    }

    private static int VersionOf(string name)
    {
        var digits = name.Split('_', 2)[0];
        return digits.Length == 4 && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && name.EndsWith(".sql", StringComparison.Ordinal)
            ? version
            : throw new InvalidOperationException($"Migration file {name} is not named NNNN_what.sql.");
    }
}
