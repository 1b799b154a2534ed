using System.Text.Json.Nodes;

namespace CamaraQos.Controller.Agents;

/// <summary>The plugin's JSON: commands, ACL entries, and reading its answers (an <c>error</c> member when refused).</summary>
public static class DynamicSecurityJson
{
    public static JsonObject Acl(string type, string topic) => new() { ["acltype"] = type, ["topic"] = topic, ["allow"] = true };

    public static JsonObject Command(string name, params (string Key, JsonNode? Value)[] fields)
    {
        var command = new JsonObject { ["command"] = name };
        foreach (var (key, value) in fields)
        {
            command[key] = value;
        }
        return command;
    }

    /// <summary>Throws on an error other than <paramref name="tolerated"/>; true when the tolerated error was the answer.</summary>
    public static bool Check(JsonNode? response, string name, string? tolerated = null)
    {
        var error = response?["error"]?.GetValue<string>();
        if (error is null)
        {
            return false;
        }
        if (error == tolerated)
        {
            return true;
        }
        throw new AgentProvisioningException(ProvisioningFailure.BrokerRefused,
            $"The broker's dynamic-security plugin refused {response?["command"]?.GetValue<string>()} for {name}: {error}");
    }

    public static JsonObject? Data(JsonNode? response, string name, string key)
    {
        Check(response, name);
        return response?["data"]?[key]?.AsObject();
    }

    public static bool HasRole(JsonObject? client, string role) =>
        client?["roles"]?.AsArray().Any(r => r?["rolename"]?.GetValue<string>() == role) ?? false;

    public static bool SameAcls(JsonArray? actual, JsonArray expected)
    {
        static HashSet<(string?, string?, bool)> Set(JsonArray acls) =>
            [.. acls.Select(a => (a?["acltype"]?.GetValue<string>(), a?["topic"]?.GetValue<string>(), a?["allow"]?.GetValue<bool>() ?? false))];
        return actual is not null && Set(actual).SetEquals(Set(expected));
    }
}
