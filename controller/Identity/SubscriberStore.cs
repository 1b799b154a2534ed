using System.Net;
using System.Text.Json;
using CamaraQos.Controller.Agents;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Storage;
using Dapper;

namespace CamaraQos.Controller.Identity;

/// <summary>Subscribers in the database; phone numbers and NAIs in a lookup table, one row each.</summary>
public sealed class SubscriberStore(Database database, IAgentDirectory agents) : ISubscriberDirectory
{
    public async Task<Subscriber?> FindAsync(string subscriberId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var body = await db.QuerySingleOrDefaultAsync<string>(
            new CommandDefinition("SELECT body FROM subscribers WHERE subscriber_id = @subscriberId", new { subscriberId }, cancellationToken: ct));
        return body is null ? null : JsonSerializer.Deserialize(body, IdentityJson.Default.Subscriber);
    }

    public Task<Subscriber?> FindByPhoneNumberAsync(string phoneNumber, CancellationToken ct) => FindByIdentifierAsync("tel:" + phoneNumber, ct);

    public Task<Subscriber?> FindByNetworkAccessIdentifierAsync(string nai, CancellationToken ct) =>
        FindByIdentifierAsync("nai:" + nai.ToLowerInvariant(), ct);

    public async Task<Subscriber?> FindByLoginHintAsync(string loginHint, CancellationToken ct)
    {
        if (loginHint.StartsWith("tel:", StringComparison.Ordinal))
        {
            return await FindByPhoneNumberAsync(loginHint[4..], ct);
        }
        if (loginHint.StartsWith("ipport:", StringComparison.Ordinal))
        {
            return await FindByWanAddressAsync(loginHint[7..], ct);
        }
        var nai = loginHint.StartsWith("nai:", StringComparison.Ordinal) ? loginHint[4..] : loginHint;
        return nai.Contains('@') ? await FindByNetworkAccessIdentifierAsync(nai, ct) : null;
    }

    /// <summary><c>ipport:</c> hints name the gateway's public address (RFC 8259-style "addr:port" or "[v6]:port").</summary>
    private async Task<Subscriber?> FindByWanAddressAsync(string hint, CancellationToken ct)
    {
        var address = WanAddressOf(hint);
        if (address is null)
        {
            return null;
        }
        var agent = agents.All().FirstOrDefault(x => x.Wan.Ipv4.Any(w => IPAddress.TryParse(w, out var wa) && wa.Equals(address)));
        if (agent is null)
        {
            return null;
        }
        await using var db = await database.OpenAsync(ct);
        var bodies = (await db.QueryAsync<string>(
            new CommandDefinition("SELECT body FROM subscribers WHERE agent_id = @agentId", new { agentId = agent.AgentId }, cancellationToken: ct))).ToList();
        // A gateway's address stands for one subscriber only when exactly one is bound to it.
        return bodies.Count == 1 ? JsonSerializer.Deserialize(bodies[0], IdentityJson.Default.Subscriber) : null;
    }

    /// <summary>"addr", "addr:port", "v6" or "[v6]:port", each address in the one strict form of <see cref="IpSyntax"/>.</summary>
    private static IPAddress? WanAddressOf(string hint)
    {
        if (IpSyntax.IsIpv4(hint) || IpSyntax.IsIpv6(hint))
        {
            return IpSyntax.Parse(hint);
        }
        // With a port: "v4:port" or "[v6]:port"; brackets only around IPv6 (RFC 3986 §3.2.2).
        var colon = hint.LastIndexOf(':');
        if (colon < 1 || !ushort.TryParse(hint.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        var address = hint[..colon];
        return address.StartsWith('[') && address.EndsWith(']') && IpSyntax.IsIpv6(address[1..^1]) ? IpSyntax.Parse(address[1..^1])
            : IpSyntax.IsIpv4(address) ? IpSyntax.Parse(address)
            : null;
    }

    private async Task<Subscriber?> FindByIdentifierAsync(string identifier, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var body = await db.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT s.body FROM subscriber_identifiers i JOIN subscribers s ON s.subscriber_id = i.subscriber_id WHERE i.identifier = @identifier",
            new { identifier }, cancellationToken: ct));
        return body is null ? null : JsonSerializer.Deserialize(body, IdentityJson.Default.Subscriber);
    }

    /// <summary>Replaces the subscriber and its identifiers in one transaction; an identifier moves to the newest owner.</summary>
    public async Task UpsertAsync(Subscriber subscriber, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var body = JsonSerializer.Serialize(subscriber, IdentityJson.Default.Subscriber);
        await db.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscribers (subscriber_id, agent_id, device_mac, body) VALUES (@id, @agent, @mac, @body)
            ON CONFLICT (subscriber_id) DO UPDATE SET agent_id = excluded.agent_id, device_mac = excluded.device_mac, body = excluded.body
            """,
            new { id = subscriber.SubscriberId, agent = subscriber.AgentId, mac = subscriber.DeviceMac, body }, tx, cancellationToken: ct));
        await db.ExecuteAsync(new CommandDefinition("DELETE FROM subscriber_identifiers WHERE subscriber_id = @id", new { id = subscriber.SubscriberId }, tx, cancellationToken: ct));
        foreach (var identifier in IdentifiersOf(subscriber))
        {
            await db.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO subscriber_identifiers (identifier, subscriber_id) VALUES (@identifier, @id)
                ON CONFLICT (identifier) DO UPDATE SET subscriber_id = excluded.subscriber_id
                """,
                new { identifier, id = subscriber.SubscriberId }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
    }

    public async Task<bool> DeleteAsync(string subscriberId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        await db.ExecuteAsync(new CommandDefinition("DELETE FROM subscriber_identifiers WHERE subscriber_id = @subscriberId", new { subscriberId }, cancellationToken: ct));
        return await db.ExecuteAsync(new CommandDefinition("DELETE FROM subscribers WHERE subscriber_id = @subscriberId", new { subscriberId }, cancellationToken: ct)) > 0;
    }

    private static IEnumerable<string> IdentifiersOf(Subscriber s) =>
        s.PhoneNumbers.Select(p => "tel:" + p).Concat(s.NetworkAccessIdentifiers.Select(n => "nai:" + n.ToLowerInvariant())).Distinct();
}
