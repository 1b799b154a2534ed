using System.Text.Json;
using System.Text.Json.Serialization;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.Telemetry;

public sealed record RttPercentiles(double P50, double P95);

/// <summary>One flow as <c>GET /admin/v1/agents/{agentId}/flows</c> lists it (docs/ARCHITECTURE.md §8).</summary>
public sealed record AdminFlow(
    string Device,
    string Server,
    int ServerPort,
    string Protocol,
    RttPercentiles? LanRttMs,
    RttPercentiles? WanRttMs,
    double? JitterMs,
    long Retransmissions,
    long BytesUp,
    long BytesDown,
    double ThroughputUpKbps,
    double ThroughputDownKbps,
    int Samples,
    DateTimeOffset UpdatedAt)
{
    public static AdminFlow From(FlowAggregate f, DateTimeOffset updatedAt) => new(
        f.Device, f.Server, f.ServerPort, f.Protocol,
        f.LanRttMs is { } lan ? new RttPercentiles(lan.P50, lan.P95) : null,
        f.WanRttMs is { } wan ? new RttPercentiles(wan.P50, wan.P95) : null,
        f.JitterMs, f.Retransmissions, f.BytesUp, f.BytesDown, f.ThroughputUpKbps, f.ThroughputDownKbps,
        (f.LanRttMs?.Samples ?? 0) + (f.WanRttMs?.Samples ?? 0), updatedAt);
}

/// <summary>The operator's view of what an agent measures (scope <c>camaraqos:admin</c>).</summary>
public static class FlowsAdminApi
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration("Telemetry")
            .Validate(o => o.WindowSeconds > 0, "Telemetry:WindowSeconds must be positive.")
            .Validate(o => o.MaxReportsPerAgent > 0, "Telemetry:MaxReportsPerAgent must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TelemetryStore>();
        builder.Services.AddSingleton<IAgentObserver>(sp => sp.GetRequiredService<TelemetryStore>());
        return builder;
    }

    public static WebApplication MapFlowsAdminApi(this WebApplication app)
    {
        app.MapGet("/admin/v1/agents/{agentId}/flows", ListFlows)
            .RequireAuthorization(Scopes.Admin)
            .RequireRateLimiting(CamaraCommon.RateLimitPolicy)
            .WithTags("Admin");
        return app;
    }

    /// <summary>The latest aggregate of every flow seen in the window; a flow idle for longer is gone.</summary>
    internal static Results<JsonHttpResult<AdminFlow[]>, CamaraError> ListFlows(string agentId, IAgentDirectory directory, TelemetryStore store)
    {
        if (directory.Find(agentId) is null)
        {
            return CamaraError.NotFound($"Agent {agentId} is not registered.");
        }
        var latest = new Dictionary<(string, string, int, string), AdminFlow>();
        foreach (var received in store.Recent(agentId))
        {
            foreach (var flow in received.Report.Flows)
            {
                latest[(flow.Device, flow.Server, flow.ServerPort, flow.Protocol)] = AdminFlow.From(flow, received.ReceivedAt);
            }
        }
        var flows = latest.Values
            .OrderBy(f => f.Device, StringComparer.Ordinal).ThenBy(f => f.Server, StringComparer.Ordinal)
            .ThenBy(f => f.ServerPort).ThenBy(f => f.Protocol, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Json(flows, TelemetryJson.Default.AdminFlowArray);
    }
}

/// <summary>Nulls are written (a flow without LAN samples has <c>lanRttMs: null</c>), as in the rest of the admin API.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AdminFlow[]))]
public sealed partial class TelemetryJson : JsonSerializerContext;
