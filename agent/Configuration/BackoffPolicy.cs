namespace CamaraQos.Agent.Configuration;

/// <summary>
/// Reconnect timing (<c>Mqtt:Reconnect*</c>): the k-th retry waits a random time in [min·m^k, min·m^(k+1)],
/// capped at max (Control's <c>Backoff</c> draws it).
/// </summary>
public sealed record BackoffPolicy(TimeSpan Minimum, TimeSpan Maximum, double Multiplier)
{
    public static readonly BackoffPolicy Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), 2);
}
