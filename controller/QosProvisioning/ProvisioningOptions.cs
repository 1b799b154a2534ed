namespace CamaraQos.Controller.QosProvisioning;

/// <summary>Section <c>QosProvisioning</c>.</summary>
public sealed class ProvisioningOptions
{
    /// <summary>How long POST /qos-assignments waits for the gateway so the 201 can already say AVAILABLE.</summary>
    public int SynchronousConfirmMilliseconds { get; set; } = 2000;

    /// <summary>An UNAVAILABLE assignment stays readable this long, then is deleted (spec: at earliest 360 s).</summary>
    public int UnavailableRetentionSeconds { get; set; } = 360;

    /// <summary>CloudEvent <c>source</c> of status-changed events.</summary>
    public string EventSource { get; set; } = "urn:camaraqos:qos-provisioning:v0.3";
}
