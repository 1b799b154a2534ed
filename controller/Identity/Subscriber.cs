namespace CamaraQos.Controller.Identity;

/// <summary>
/// A customer bound by the operator (admin API): the phone numbers and network access identifiers that
/// stand for them, their home gateway, and optionally the MAC of the device a phone number stands for.
/// </summary>
public sealed record Subscriber(
    string SubscriberId,
    IReadOnlyList<string> PhoneNumbers,
    IReadOnlyList<string> NetworkAccessIdentifiers,
    string AgentId,
    string? DeviceMac);

public interface ISubscriberDirectory
{
    Task<Subscriber?> FindAsync(string subscriberId, CancellationToken ct);
    Task<Subscriber?> FindByPhoneNumberAsync(string phoneNumber, CancellationToken ct);
    Task<Subscriber?> FindByNetworkAccessIdentifierAsync(string nai, CancellationToken ct);

    /// <summary>
    /// CIBA <c>login_hint</c>: <c>tel:+34...</c> (phone), <c>nai:user@realm</c> or a bare NAI, or
    /// <c>ipport:198.51.100.1[:port]</c> (the subscriber whose gateway has that WAN address).
    /// </summary>
    Task<Subscriber?> FindByLoginHintAsync(string loginHint, CancellationToken ct);
    Task UpsertAsync(Subscriber subscriber, CancellationToken ct);
}
