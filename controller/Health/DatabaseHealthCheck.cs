using CamaraQos.Controller.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CamaraQos.Controller.Health;

/// <summary>Ready when the schema is up to date and a connection opens and answers <c>SELECT 1</c>.</summary>
public sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!database.IsMigrated)
        {
            return HealthCheckResult.Unhealthy("schema not migrated yet");
        }
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("reachable and migrated");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The reason is for the log, not the response: a health endpoint is unauthenticated.
            return HealthCheckResult.Unhealthy("unreachable", e);
        }
    }
}
