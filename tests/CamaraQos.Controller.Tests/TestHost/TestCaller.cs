
namespace CamaraQos.Controller.Tests.TestHost;

/// <summary>
/// Who a test client speaks as: an API client with scopes, and for a 3-legged token the subscriber.
/// </summary>
public sealed record TestCaller(string ClientId, IReadOnlyList<string> Scopes, string? SubscriberId = null)
{
    public const string DefaultClient = "test-client";

    /// <summary>A 2-legged caller with exactly these scopes.</summary>
    public static TestCaller With(params string[] scopes) => new(DefaultClient, scopes);

    /// <summary>A 2-legged caller with every CAMARA scope (like the sandbox's <c>sandbox-client</c>).</summary>
    public static TestCaller AllCamara { get; } = new(DefaultClient, CamaraQos.Controller.Camara.Scopes.Camara);

    /// <summary>The same client, speaking for a subscriber (a 3-legged token).</summary>
    public TestCaller ForSubscriber(string subscriberId) => this with { SubscriberId = subscriberId };
}
