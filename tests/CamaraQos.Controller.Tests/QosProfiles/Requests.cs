using System.Net.Http.Headers;
using System.Text;
using CamaraQos.Controller.Camara;
using CamaraQos.Controller.Tests.TestHost;

namespace CamaraQos.Controller.Tests.QosProfiles;

/// <summary>The callers the QoS profile tests speak as, named so theory rows stay readable.</summary>
public static class Callers
{
    public static HttpClient Client(ControllerFactory factory, string who)
    {
        var client = factory.CreateCamaraClient(who switch
        {
            "2-legged" => TestCaller.With(Scopes.QosProfilesRead),
            "3-legged" => TestCaller.With(Scopes.QosProfilesRead).ForSubscriber("subscriber-1"),
            "wrong-scope" => TestCaller.With(Scopes.QodRead),
            "anonymous" or "bad-token" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(who), who, null),
        });
        if (who == "bad-token")
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        }
        client.DefaultRequestHeaders.Add(Correlator.Header, "qos-profiles-test-" + Guid.NewGuid().ToString("N"));
        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
