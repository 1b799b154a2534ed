using System.Text.Json;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.ApplicationProfiles;

/// <summary>A stored profile: who created it (only that API client sees it) and what it says.</summary>
public sealed record StoredProfile(string ClientId, ApplicationProfile Profile);

/// <summary>Application profiles in the database, the profile kept as its JSON.</summary>
public sealed class ApplicationProfileStore(Database database)
{
    public async Task InsertAsync(string clientId, ApplicationProfile profile, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition(
            "INSERT INTO application_profiles (profile_id, client_id, profile, created_at, updated_at) VALUES (@id, @clientId, @json, @t, @t)",
            new { id = profile.ApplicationProfileId.ToString(), clientId, json = Json(profile), t = now.ToUnixTimeMilliseconds() }, cancellationToken: ct));
    }

    public async Task<StoredProfile?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var row = await db.QuerySingleOrDefaultAsync<(string ClientId, string Profile)>(new CommandDefinition(
            "SELECT client_id, profile FROM application_profiles WHERE profile_id = @id", new { id = id.ToString() }, cancellationToken: ct));
        return row.ClientId is null
            ? null
            : new StoredProfile(row.ClientId, JsonSerializer.Deserialize(row.Profile, ApplicationProfilesJson.Default.ApplicationProfile)!);
    }

    /// <summary>Replaces the thresholds; false if the profile is gone.</summary>
    public async Task<bool> ReplaceAsync(ApplicationProfile profile, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "UPDATE application_profiles SET profile = @json, updated_at = @t WHERE profile_id = @id",
            new { id = profile.ApplicationProfileId.ToString(), json = Json(profile), t = now.ToUnixTimeMilliseconds() }, cancellationToken: ct)) == 1;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        return await db.ExecuteAsync(new CommandDefinition(
            "DELETE FROM application_profiles WHERE profile_id = @id", new { id = id.ToString() }, cancellationToken: ct)) == 1;
    }

    private static string Json(ApplicationProfile p) => JsonSerializer.Serialize(p, ApplicationProfilesJson.Default.ApplicationProfile);
}
