using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.Admin;

/// <summary>
/// The operator's API (docs/ARCHITECTURE.md §8, scope <c>camaraqos:admin</c>): agent credentials and what
/// the controller knows of each agent. Subscriber routes live with Identity.
/// </summary>
public static class AdminApi
{
    public const string BasePath = "/admin/v1";
    internal const int MinPasswordLength = 12;

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        var group = app.MapGroup(BasePath)
            .RequireAuthorization(Scopes.Admin)
            .RequireRateLimiting(CamaraCommon.RateLimitPolicy)
            .WithTags("Admin");
        group.MapPut("/agents/{agentId}", PutAgent);
        group.MapGet("/agents", ListAgents);
        group.MapGet("/agents/{agentId}", GetAgent);
        group.MapDelete("/agents/{agentId}", DeleteAgent);
        return app;
    }

    internal static async Task<Results<Created, NoContent, CamaraError>> PutAgent(
        string agentId, AgentCredentials body, IAgentProvisioning provisioning, CancellationToken ct)
    {
        if (!Topics.IsValidAgentId(agentId))
        {
            return CamaraError.InvalidArgument("agentId must be 1-64 characters of letters, digits, '-', '_' or '.'.");
        }
        if (body.Password is not { Length: >= MinPasswordLength })
        {
            return CamaraError.InvalidArgument($"password must be at least {MinPasswordLength} characters.");
        }
        try
        {
            var created = await provisioning.ProvisionAsync(agentId, body.Password, ct);
            return created ? TypedResults.Created($"{BasePath}/agents/{agentId}") : TypedResults.NoContent();
        }
        catch (AgentProvisioningException e)
        {
            return ErrorFor(e);
        }
    }

    /// <summary>Never a silent success: the operator learns the credentials did not reach the broker, and why.</summary>
    private static CamaraError ErrorFor(AgentProvisioningException e) => e.Failure switch
    {
        ProvisioningFailure.Unsupported => new CamaraError(501, "NOT_IMPLEMENTED", e.Message),
        ProvisioningFailure.Conflict => CamaraError.Conflict(e.Message),
        ProvisioningFailure.BrokerRefused => new CamaraError(502, "BAD_GATEWAY", e.Message),
        _ => CamaraError.Unavailable(e.Message),
    };

    internal static JsonHttpResult<AdminAgent[]> ListAgents(IAgentDirectory directory) =>
        TypedResults.Json(directory.All().Select(AdminAgent.From).ToArray(), AdminJson.Default.AdminAgentArray);

    internal static Results<JsonHttpResult<AdminAgent>, CamaraError> GetAgent(string agentId, IAgentDirectory directory) =>
        directory.Find(agentId) is { } agent
            ? TypedResults.Json(AdminAgent.From(agent), AdminJson.Default.AdminAgent)
            : CamaraError.NotFound($"Agent {ClientValue.Echo(agentId)} is not registered.");

    internal static async Task<Results<NoContent, CamaraError>> DeleteAgent(
        string agentId, IAgentProvisioning provisioning, CancellationToken ct)
    {
        try
        {
            return await provisioning.WithdrawAsync(agentId, ct)
                ? TypedResults.NoContent()
                : CamaraError.NotFound($"Agent {ClientValue.Echo(agentId)} is not registered.");
        }
        catch (AgentProvisioningException e)
        {
            return ErrorFor(e);
        }
    }
}
