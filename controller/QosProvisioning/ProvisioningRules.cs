using System.Text.RegularExpressions;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QosProfiles;

namespace CamaraQos.Controller.QosProvisioning;

/// <summary>Syntax and profile checks of qos-provisioning v0.3.0 bodies and parameters.</summary>
public static partial class ProvisioningRules
{
    /// <summary>QosProfileName: 3..256 characters of <c>^[a-zA-Z0-9_.-]+$</c>.</summary>
    public static CamaraError? ValidateCreate(CreateAssignment body) =>
        body.QosProfile is null ? CamaraError.InvalidArgument("qosProfile is required.")
        : !ProfileName().IsMatch(body.QosProfile) ? CamaraError.InvalidArgument("qosProfile must be 3 to 256 characters of letters, digits, '_', '.' or '-'.")
        : null;

    /// <summary>
    /// Unknown profile: 400 INVALID_ARGUMENT (as QoD, specs/camara/NOTES.md row 3); known but not ACTIVE:
    /// 422 QOS_PROVISIONING.QOS_PROFILE_NOT_APPLICABLE (spec: "its status is INACTIVE or DEPRECATED").
    /// </summary>
    public static CamaraError? ValidateProfile(QosProfile? profile, string name) =>
        profile is null ? CamaraError.InvalidArgument($"qosProfile '{ClientValue.Echo(name)}' is not offered.")
        : profile.Status != "ACTIVE" ? new CamaraError(422, "QOS_PROVISIONING.QOS_PROFILE_NOT_APPLICABLE", $"The QoS profile '{name}' is {profile.Status} and cannot be assigned.")
        : null;

    /// <summary>specs/camara/NOTES.md row 4: a malformed assignmentId is 400 INVALID_ARGUMENT.</summary>
    public static CamaraError? ParseAssignmentId(string raw, out Guid id) =>
        Uuid.TryParse(raw, out id) ? null : CamaraError.InvalidArgument("assignmentId must be a UUID.");

    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,256}$")]
    private static partial Regex ProfileName();
}
