using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.Agents;

/// <summary>
/// How the controller's own MQTT client logs in: in embedded mode a random secret made at start,
/// known only to this process; in external mode <c>Mqtt:Username</c> / <c>Mqtt:Password</c>.
/// </summary>
public sealed class ControllerCredential
{
    public ControllerCredential(IOptions<MqttOptions> options)
    {
        var o = options.Value;
        (Username, Password) = o.Mode == MqttMode.Embedded
            ? (TopicAcl.ControllerUser, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            : (o.Username, o.Password);
    }

    public string? Username { get; }
    public string? Password { get; }

    public bool Matches(string? password) =>
        password is not null && Password is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(Password));
}
