using CamaraQos.Controller.Storage;
using Xunit;

namespace CamaraQos.Controller.Tests.Storage;

/// <summary>Which script files each provider runs, and that a misnamed one stops every start.</summary>
public sealed class MigrationScriptTests
{
    private static readonly KeyValuePair<string, string>[] Files =
    [
        new("0001_baseline.sql", "shared 1"),
        new("0002_index.sql", "shared 2"),
        new("0002_index.postgres.sql", "postgres 2"),
        new("0003_only_postgres_differs.postgres.sql", "postgres 3"),
        new("0003_only_postgres_differs.sql", "shared 3"),
    ];

    [Theory]
    [InlineData(StorageProvider.Sqlite, "shared 1,shared 2,shared 3")]
    [InlineData(StorageProvider.Postgres, "shared 1,postgres 2,postgres 3")]
    public void AProvidersOwnVariantReplacesTheSharedScriptOfTheSameNumber(StorageProvider provider, string expected)
    {
        var scripts = MigrationScript.Select(Files, provider);

        Assert.Equal(expected, string.Join(",", scripts.Select(s => s.Sql)));
        Assert.Equal([1, 2, 3], scripts.Select(s => s.Version));
    }

    [Theory]
    [InlineData("0001_a.sql,0003_c.sql", "should be number 2")]
    [InlineData("0001_a.sql,0001_b.sql", "several scripts")]
    [InlineData("0001_a.sql,2_b.sql", "not named NNNN_what.sql")]
    [InlineData("0001_a.sql,0002_b.txt", "not named NNNN_what.sql")]
    public void AMisnumberedOrMisnamedScriptFailsNamingTheProblem(string names, string message)
    {
        var files = names.Split(',').Select(n => KeyValuePair.Create(n, "SELECT 1"));

        var error = Assert.Throws<InvalidOperationException>(() => MigrationScript.Select(files, StorageProvider.Sqlite));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheControllerEmbedsTheSameNumberedScriptsForBothProviders()
    {
        var sqlite = MigrationScript.Embedded(StorageProvider.Sqlite);
        var postgres = MigrationScript.Embedded(StorageProvider.Postgres);

        Assert.Equal("0001_baseline.sql", sqlite[0].Name);
        Assert.Equal(sqlite.Select(s => s.Version), postgres.Select(s => s.Version));
        Assert.All(sqlite.Concat(postgres), s => Assert.False(string.IsNullOrWhiteSpace(s.Sql)));
    }
}
