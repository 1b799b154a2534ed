using CamaraQos.Controller.Identity;

namespace CamaraQos.Controller.Tests.Auth;

/// <summary>
/// The test host's subscriber directory: the real one belongs to the Identity feature; the auth
/// feature only needs <see cref="ISubscriberDirectory.FindByLoginHintAsync"/>.
/// </summary>
internal sealed class InMemorySubscribers : ISubscriberDirectory
{
    public static readonly Subscriber Sub1 = new("sub-1", ["+34600000001"], ["user1@sandbox.example"], "sandbox-gw-1", null);
    public static readonly Subscriber Sub2 = new("sub-2", ["+34600000002"], [], "sandbox-gw-2", null);

    private readonly List<Subscriber> _subscribers = [Sub1, Sub2];

    /// <summary>Stands in for the agents' WAN addresses that <c>ipport:</c> hints resolve through.</summary>
    private readonly Dictionary<string, string> _wanToAgent = new() { ["198.51.100.1"] = "sandbox-gw-1", ["198.51.100.2"] = "sandbox-gw-2" };

    public Task<Subscriber?> FindAsync(string subscriberId, CancellationToken ct) =>
        Task.FromResult(_subscribers.Find(s => s.SubscriberId == subscriberId));

    public Task<Subscriber?> FindByPhoneNumberAsync(string phoneNumber, CancellationToken ct) =>
        Task.FromResult(_subscribers.Find(s => s.PhoneNumbers.Contains(phoneNumber)));

    public Task<Subscriber?> FindByNetworkAccessIdentifierAsync(string nai, CancellationToken ct) =>
        Task.FromResult(_subscribers.Find(s => s.NetworkAccessIdentifiers.Contains(nai)));

    public Task<Subscriber?> FindByLoginHintAsync(string loginHint, CancellationToken ct)
    {
        if (loginHint.StartsWith("tel:", StringComparison.Ordinal))
        {
            return FindByPhoneNumberAsync(loginHint[4..], ct);
        }
        if (loginHint.StartsWith("ipport:", StringComparison.Ordinal)
            && _wanToAgent.TryGetValue(loginHint[7..].Split(':')[0], out var agent))
        {
            return Task.FromResult(_subscribers.Find(s => s.AgentId == agent));
        }
        return Task.FromResult<Subscriber?>(null);
    }

    public Task UpsertAsync(Subscriber subscriber, CancellationToken ct)
    {
        _subscribers.RemoveAll(s => s.SubscriberId == subscriber.SubscriberId);
        _subscribers.Add(subscriber);
        return Task.CompletedTask;
    }
}
