using System.Text.RegularExpressions;

namespace CamaraQos.Conformance.Steps;

/// <summary>
/// specs/camara/NOTES.md, the rows where a test definition contradicts its spec and the spec is followed:
/// the expectation the definition states is replaced by the spec's, and the scenario's result says so.
/// </summary>
public static class Notes
{
    /// <summary>The spec has no such expectation: the step's check is not made.</summary>
    public const string Waived = "";

    private sealed record Rule(int Row, Regex Scenario, string What, string TestPlan, string Spec);

    private static readonly Rule[] Table =
    [
        new(1, new(@"^quality_on_demand_", RegexOptions.None), "$.type", "org.camaraproject.qod.v1.qos-status-changed", "org.camaraproject.quality-on-demand.v1.qos-status-changed"),
        new(2, new(@"^quality_on_demand_createSession_400\.9_", RegexOptions.None), "$.code", "INVALID_ARGUMENT", "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE"),
        new(7, new(@"^application_profiles?_.*delete", RegexOptions.IgnoreCase), "status", "200", "204"),
        new(8, new(@"^connectivity_insights_subscriptions?_", RegexOptions.None), "$.data.terminationReason", "NETWORK_TERMINATED", "SUBSCRIPTION_DELETED"),
        // A 204 has no content, so no media type; the spec's 204 lists only the x-correlator header.
        new(6, new(@"^qos_provisioning_", RegexOptions.None), "schema /components/schemas/EventStatusChanged", "data.qosStatus required", "data.status required"),
        new(17, new(@"^qos_profiles_getQosProfile_01_", RegexOptions.None), "response shape", "array", "object"),
        new(18, new(@"^qos_provisioning_getQosAssignmentById_02_", RegexOptions.None), "setup", "deleted", "UNAVAILABLE"),
        new(10, new(@"^setQos_09_", RegexOptions.None), "$.code", "HOME_DEVICES_QOD.INVALID_TOKEN_CONTEXT", "INVALID_TOKEN_CONTEXT"),
        new(10, new(@"^setQos_10_", RegexOptions.None), "$.code", "HOME_DEVICES_QOD.NO_DEVICE_MATCH", "DEVICE_NOT_FOUND"),
        new(9, new(@"^connectivity_insights_subscriptions_", RegexOptions.None), "schema /components/schemas/Subscription", "id required", "subscriptionId required"),
        new(20, new(@"^connectivity_insights_subscriptions_23_", RegexOptions.None), "status", "403", "400"),
        new(20, new(@"^connectivity_insights_subscriptions_23_", RegexOptions.None), "$.code", "SUBSCRIPTION_MISMATCH", "INVALID_ARGUMENT"),
        new(21, new(@"^connectivity_insights_subscriptions_18_", RegexOptions.None), "status", "400", "404"),
        new(21, new(@"^connectivity_insights_subscriptions_18_", RegexOptions.None), "$.code", "INVALID_ARGUMENT", "NOT_FOUND"),
        new(16, new(@"^qos_provisioning_revokeQosAssignment_03_", RegexOptions.None), "event Authorization prefix", "Bearer: ", "Bearer "),
        new(15, new(@"^quality_on_demand_deleteSession_01_", RegexOptions.None), "header Content-Type", "application/json", Waived),
    ];

    /// <summary>The expected values for <paramref name="what"/> after the NOTES.md rows that apply to this scenario.</summary>
    public static string[] Apply(ScenarioContext c, string what, string[] expected)
    {
        foreach (var rule in Table.Where(r => r.What == what && r.Scenario.IsMatch(c.ScenarioId) && expected.Contains(r.TestPlan)))
        {
            expected = [.. expected.Select(e => e == rule.TestPlan ? rule.Spec : e)];
            var said = rule.Spec == Waived
                ? $"NOTES.md row {rule.Row}: no {what} {rule.TestPlan} (the spec has none)"
                : $"NOTES.md row {rule.Row}: {what} {rule.Spec} (spec) instead of {rule.TestPlan} (test definition)";
            if (!c.NotesApplied.Contains(said))
            {
                c.NotesApplied.Add(said);
            }
        }
        return expected;
    }
}
