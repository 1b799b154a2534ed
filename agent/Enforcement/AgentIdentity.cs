namespace CamaraQos.Agent.Enforcement;

/// <summary>
/// Who is reporting: <c>AgentId</c> from <c>Agent:Id</c>, <c>BootEpoch</c> = this run's value of the
/// <see cref="BootCounter"/> (one value per process, larger than every earlier run's on this gateway), so a late
/// Last Will with an older epoch is recognisable (docs/ARCHITECTURE.md §4). The composition root registers one
/// for every feature: <c>reported</c> and <c>status</c> carry the same value.
/// </summary>
public sealed record AgentIdentity(string AgentId, long BootEpoch);
