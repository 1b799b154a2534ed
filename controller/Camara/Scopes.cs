using Microsoft.AspNetCore.Authorization;

namespace CamaraQos.Controller.Camara;

/// <summary>Every scope we serve, declared once; endpoints name the policy of the same name.</summary>
public static class Scopes
{
    public const string QodCreate = "quality-on-demand:sessions:create";
    public const string QodRead = "quality-on-demand:sessions:read";
    public const string QodUpdate = "quality-on-demand:sessions:update";
    public const string QodDelete = "quality-on-demand:sessions:delete";
    public const string QodRetrieveByDevice = "quality-on-demand:sessions:retrieve-by-device";
    public const string QosProfilesRead = "qos-profiles:read";

    // QoD v0.10.1 (quality-on-demand-v0.10.1.yaml components.securitySchemes.threeLegged).
    public const string QodV0SessionsRead = "qod-sessions-read";
    public const string QodV0SessionsWrite = "qod-sessions-write";
    public const string QodV0SessionsDelete = "qod-sessions-delete";
    public const string QodV0ProfilesRead = "qod-profiles-read";

    // QoS Provisioning v0.3.0 (qos-provisioning-v0.3.0.yaml paths.*.security.openId).
    public const string QosProvisioningCreate = "qos-provisioning:qos-assignments:create";
    public const string QosProvisioningRead = "qos-provisioning:qos-assignments:read";
    public const string QosProvisioningDelete = "qos-provisioning:qos-assignments:delete";
    public const string QosProvisioningReadByDevice = "qos-provisioning:qos-assignments:read-by-device";

    // Application Profiles v0.5.0 (application-profiles-v0.5.0.yaml paths.*.security.openId).
    public const string ApplicationProfilesCreate = "application-profiles:create";
    public const string ApplicationProfilesRead = "application-profiles:read";
    public const string ApplicationProfilesUpdate = "application-profiles:update";
    public const string ApplicationProfilesDelete = "application-profiles:delete";

    // Connectivity Insights v0.6.0 and its subscriptions v0.6.0 (the YAMLs' paths.*.security.openId).
    public const string ConnectivityInsightsCheck = "connectivity-insights:check";
    public const string InsightsSubscriptionsCreate = "connectivity-insights-subscriptions:org.camaraproject.connectivity-insights-subscriptions.v0.network-quality:create";
    public const string InsightsSubscriptionsRead = "connectivity-insights-subscriptions:read";
    public const string InsightsSubscriptionsDelete = "connectivity-insights-subscriptions:delete";
    // Home Devices QoD v0.4.0 (home-devices-qod-v0.4.0.yaml security.openId; 3-legged only).
    public const string HomeDevicesQodWrite = "home-devices-qod:qos:write";

    public const string Admin = "camaraqos:admin";

    /// <summary>Scopes a read-only client gets (the sandbox's <c>sandbox-readonly</c>).</summary>
    public static readonly string[] Read = [QodRead, QodRetrieveByDevice, QosProfilesRead, QodV0SessionsRead, QodV0ProfilesRead, QosProvisioningRead, QosProvisioningReadByDevice, ApplicationProfilesRead, InsightsSubscriptionsRead];

    /// <summary>Every CAMARA scope (not admin).</summary>
    public static readonly string[] Camara =
    [
        QodCreate, QodRead, QodUpdate, QodDelete, QodRetrieveByDevice, QosProfilesRead,
        QodV0SessionsRead, QodV0SessionsWrite, QodV0SessionsDelete, QodV0ProfilesRead,
        QosProvisioningCreate, QosProvisioningRead, QosProvisioningDelete, QosProvisioningReadByDevice,
        ApplicationProfilesCreate, ApplicationProfilesRead, ApplicationProfilesUpdate, ApplicationProfilesDelete,
        ConnectivityInsightsCheck, InsightsSubscriptionsCreate, InsightsSubscriptionsRead, InsightsSubscriptionsDelete,
        HomeDevicesQodWrite,
    ];

    public static readonly string[] All = [.. Camara, Admin];

    public static bool Has(System.Security.Claims.ClaimsPrincipal user, string scope) =>
        user.FindAll(Caller.ScopeClaim).Any(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope));

    public static AuthorizationBuilder AddScopePolicies(this AuthorizationBuilder auth)
    {
        foreach (var scope in All)
        {
            auth.AddPolicy(scope, p => p.RequireAuthenticatedUser().RequireAssertion(ctx => Has(ctx.User, scope)));
        }
        return auth;
    }
}
