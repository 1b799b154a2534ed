namespace CamaraQos.Controller.QualityOnDemand;

/// <summary>Section <c>QualityOnDemand</c>.</summary>
public sealed class QodOptions
{
    /// <summary>How long a REQUESTED session waits for its gateway's confirmation before NETWORK_TERMINATED.</summary>
    public int ConfirmTimeoutSeconds { get; set; } = 30;

    /// <summary>How long POST /sessions waits for the confirmation so the 201 can already say AVAILABLE.</summary>
    public int SynchronousConfirmMilliseconds { get; set; } = 2000;

    /// <summary>An UNAVAILABLE session stays readable this long, then is deleted (spec: at least 360 s).</summary>
    public int UnavailableRetentionSeconds { get; set; } = 360;

    /// <summary>A gateway offline longer than this ends its sessions with NETWORK_TERMINATED.</summary>
    public int OfflineGraceSeconds { get; set; } = 60;

    /// <summary>CloudEvent <c>source</c> of qos-status-changed events.</summary>
    public string EventSource { get; set; } = "urn:camaraqos:quality-on-demand:v1";
}
