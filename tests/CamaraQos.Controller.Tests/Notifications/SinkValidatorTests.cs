using CamaraQos.Controller.Notifications;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed class SinkValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    // Valid https sinks, public addresses.
    [InlineData("https://endpoint.example.com/sink", false, false, null)]
    [InlineData("https://203.0.113.7:8443/notify?x=1", false, false, null)]
    [InlineData("https://[2001:4860:4860::8888]/sink", false, false, null)]
    // Not an absolute URL, or not https (INVALID_SINK unless AllowHttpSinks).
    [InlineData(null, false, false, "INVALID_SINK")]
    [InlineData("", false, false, "INVALID_SINK")]
    [InlineData("   ", false, false, "INVALID_SINK")]
    [InlineData("/relative/sink", false, false, "INVALID_SINK")]
    [InlineData("endpoint.example.com/sink", false, false, "INVALID_SINK")]
    [InlineData("https://", false, false, "INVALID_SINK")]
    [InlineData("ftp://endpoint.example.com/sink", true, true, "INVALID_SINK")]
    [InlineData("file:///etc/passwd", true, true, "INVALID_SINK")]
    [InlineData("http://endpoint.example.com/sink", false, false, "INVALID_SINK")]
    [InlineData("http://endpoint.example.com/sink", true, false, null)]
    [InlineData("https://user:secret@endpoint.example.com/sink", false, false, "INVALID_SINK")]
    // Literal non-public addresses: INVALID_SINK unless AllowPrivateSinks.
    [InlineData("https://127.0.0.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://127.0.0.1/sink", false, true, null)]
    [InlineData("http://127.0.0.1:8080/sink", true, true, null)]
    [InlineData("https://2130706433/sink", false, false, "INVALID_SINK")]
    [InlineData("https://0x7f.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://localhost/sink", false, false, "INVALID_SINK")]
    [InlineData("https://api.localhost/sink", false, false, "INVALID_SINK")]
    [InlineData("https://localhost/sink", false, true, null)]
    [InlineData("https://0.0.0.0/sink", false, false, "INVALID_SINK")]
    [InlineData("https://10.1.2.3/sink", false, false, "INVALID_SINK")]
    [InlineData("https://172.16.0.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://172.31.255.255/sink", false, false, "INVALID_SINK")]
    [InlineData("https://172.32.0.1/sink", false, false, null)]
    [InlineData("https://192.168.1.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, false, "INVALID_SINK")]
    [InlineData("https://100.64.0.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://224.0.0.1/sink", false, false, "INVALID_SINK")]
    [InlineData("https://255.255.255.255/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[::1]/sink", false, true, null)]
    [InlineData("https://[::]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[fe80::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[fd00::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[fc00::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[ff02::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[::ffff:127.0.0.1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[::ffff:10.0.0.1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[::ffff:203.0.113.7]/sink", false, false, null)]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[2002:c0a8:0101::1]/sink", false, false, "INVALID_SINK")]
    // NAT64 local use (RFC 8215) reaches the operator's own translators, whatever IPv4 it embeds.
    [InlineData("https://[64:ff9b:1::cb00:7107]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[64:ff9b:1:ffff::1]/sink", false, false, "INVALID_SINK")]
    [InlineData("https://[64:ff9b::cb00:7107]/sink", false, false, null)]
    public void SinkIsCheckedForSchemeAndNonPublicAddresses(string? sink, bool allowHttp, bool allowPrivate, string? code)
    {
        var error = SinkValidator.CheckSink(sink, allowHttp, allowPrivate);

        Assert.Equal(code, error?.Value.Code);
        Assert.True(error is null || error.Value.Status == 400);
    }

    [Fact]
    public void SinkLongerThanTheLimitIsInvalid()
    {
        var sink = "https://endpoint.example.com/" + new string('a', SinkValidator.MaxSinkLength);

        Assert.Equal("INVALID_SINK", SinkValidator.CheckSink(sink, false, false)?.Value.Code);
    }

    [Theory]
    [InlineData("ACCESSTOKEN", "tok", 3600, "bearer", null)]
    [InlineData("ACCESSTOKEN", "tok", 3600, "Bearer", null)]
    [InlineData("PLAIN", null, null, null, "INVALID_CREDENTIAL")]
    [InlineData("REFRESHTOKEN", "tok", 3600, "bearer", "INVALID_CREDENTIAL")]
    [InlineData(null, "tok", 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("PRIVATE_KEY_JWT", "tok", 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("accesstoken", "tok", 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", null, 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", "", 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", "tok", null, "bearer", "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", "tok", 3600, null, "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", "tok", 3600, "mac", "INVALID_TOKEN")]
    [InlineData("ACCESSTOKEN", "tok\r\nX-Injected: 1", 3600, "bearer", "INVALID_ARGUMENT")]
    [InlineData("ACCESSTOKEN", "tok", 0, "bearer", "INVALID_CREDENTIAL")]
    [InlineData("ACCESSTOKEN", "tok", -60, "bearer", "INVALID_CREDENTIAL")]
    public void SinkCredentialMustBeAnUnexpiredBearerAccessToken(string? type, string? token, int? expiresInSeconds, string? tokenType, string? code)
    {
        var credential = new SinkCredential(type, token, expiresInSeconds is { } s ? Now.AddSeconds(s) : null, tokenType);

        Assert.Equal(code, SinkValidator.CheckCredential(credential, Now)?.Value.Code);
    }

    [Fact]
    public void NoSinkCredentialIsAcceptable() => Assert.Null(SinkValidator.CheckCredential(null, Now));

    [Theory]
    [InlineData(false, false, "INVALID_SINK", "INVALID_SINK")]
    [InlineData(true, false, "INVALID_SINK", "INVALID_SINK")]
    [InlineData(false, true, "INVALID_SINK", "INVALID_SINK")]
    [InlineData(true, true, null, "INVALID_CREDENTIAL")]
    public void ValidatorReadsTheLabFlagsAndTheClock(bool allowHttp, bool allowPrivate, string? before, string after)
    {
        var time = new FakeTimeProvider(Now);
        var options = new StaticOptions(new NotificationOptions { AllowHttpSinks = allowHttp, AllowPrivateSinks = allowPrivate });
        var validator = new SinkValidator(options, time);
        var credential = new SinkCredential("ACCESSTOKEN", "tok", Now.AddMinutes(1), "bearer");

        var first = validator.Validate("http://127.0.0.1/sink", credential);
        time.Advance(TimeSpan.FromMinutes(2));
        var second = validator.Validate("http://127.0.0.1/sink", credential);

        Assert.Equal(before, first?.Value.Code);
        Assert.Equal(after, second?.Value.Code);
    }

    private sealed class StaticOptions(NotificationOptions value) : IOptionsMonitor<NotificationOptions>
    {
        public NotificationOptions CurrentValue => value;
        public NotificationOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<NotificationOptions, string?> listener) => null;
    }
}
