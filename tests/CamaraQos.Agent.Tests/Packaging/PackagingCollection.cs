using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// The package builds run one after the other: both publish shared/ for linux-x64 into the same obj/
/// folder, and two builds writing it at once fail or corrupt each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging";
}
