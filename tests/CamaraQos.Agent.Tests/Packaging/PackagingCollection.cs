using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// The package builds (agent x64, agent arm64, controller) run one after the other and apart from other
/// tests: each publishes shared/ and agent/ or controller/ for a runtime, two publishes of one project
/// restore into the same obj/project.assets.json, and two builds writing it at once fail or corrupt each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingCollection
{
    public const string Name = "Packaging";
}
