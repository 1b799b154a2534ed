using Xunit;

namespace CamaraQos.Agent.Tests.Packaging;

/// <summary>
/// The .deb builds publish agent/ for a runtime each; one at a time, because two publishes of one project
/// restore into the same obj/project.assets.json.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AgentPublish
{
    public const string Name = "Agent publish";
}
