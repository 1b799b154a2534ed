using System.Text.Json.Nodes;

namespace CamaraQos.Conformance.Steps;

/// <summary>Waits (bounded) until a created resource reports a status, reading it back through the API.</summary>
public static class Status
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static async Task WaitAsync(ScenarioContext c, Exchange created, string status)
    {
        var path = c.CleanupPaths.LastOrDefault() ?? throw new InvalidOperationException("The created resource has no cleanup rule to read it back with.");
        var deadline = DateTimeOffset.UtcNow + Bound;
        JsonNode? body = created.ResponseBody;
        while (true)
        {
            var now = (string?)(body?["qosStatus"] ?? body?["status"]);
            if (now == status || (status == "UNAVAILABLE" && now is "UNAVAILABLE"))
            {
                return;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new StepFailedException($"Setup: the created resource is {now ?? "(no status)"}, not {status}, after {Bound.TotalSeconds} s");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            var e = await Sender.SendRawAsync(c, "GET", Sender.Url(c, path), null, new TokenKind.TwoLegged(), new Dictionary<string, string?>());
            body = e.ResponseBody;
        }
    }
}
