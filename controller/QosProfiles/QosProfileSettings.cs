namespace CamaraQos.Controller.QosProfiles;

/// <summary>A <c>Rate</c> as written in configuration (<c>QosProfiles:N:MaxDownstreamRate:Value</c>/<c>Unit</c>).</summary>
public sealed class RateSettings
{
    public string? Value { get; set; }
    public string? Unit { get; set; }
}

/// <summary>A <c>Duration</c> as written in configuration (<c>QosProfiles:N:MinDuration:Value</c>/<c>Unit</c>).</summary>
public sealed class DurationSettings
{
    public string? Value { get; set; }
    public string? Unit { get; set; }
}

/// <summary>
/// One entry of the configuration list <c>QosProfiles</c>. Everything is an optional string here so that a
/// missing or misspelled value becomes a validation message naming its key (<see cref="QosProfileValidation"/>):
/// the binder silently drops a list element whose number does not convert.
/// </summary>
public sealed class QosProfileSettings
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? Status { get; set; }
    public RateSettings? TargetMinUpstreamRate { get; set; }
    public RateSettings? MaxUpstreamRate { get; set; }
    public RateSettings? MaxUpstreamBurstRate { get; set; }
    public RateSettings? TargetMinDownstreamRate { get; set; }
    public RateSettings? MaxDownstreamRate { get; set; }
    public RateSettings? MaxDownstreamBurstRate { get; set; }
    public DurationSettings? MinDuration { get; set; }
    public DurationSettings? MaxDuration { get; set; }
    public string? Priority { get; set; }
    public DurationSettings? PacketDelayBudget { get; set; }
    public DurationSettings? Jitter { get; set; }
    public string? PacketErrorLossRate { get; set; }

    /// <summary>A DSCP name (<c>EF</c>, <c>AF41</c>, <c>CS1</c>, ...) or a number 0-63.</summary>
    public string? Dscp { get; set; }
}

/// <summary>The bound <c>QosProfiles</c> section: empty means "use the built-in defaults".</summary>
public sealed class QosProfileCatalogOptions
{
    public const string Section = "QosProfiles";

    public List<QosProfileSettings> Profiles { get; } = [];
}
