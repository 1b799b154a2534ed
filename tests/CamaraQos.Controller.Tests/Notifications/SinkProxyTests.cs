using System.Net;
using CamaraQos.Controller.Notifications;
using CamaraQos.Controller.Tests.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed class SinkProxyTests
{
    /// <summary>
    /// Through a proxy the socket SinkConnector judges would be the proxy's, and a private sink behind it
    /// would be reached (issue 14: "the sink guard lets proxy-routed requests through").
    /// </summary>
    [Fact]
    public void NotificationsAreNeverSentThroughAProxyEvenWhenTheProcessHasOne()
    {
        using var factory = new ControllerFactory();
        var handlers = factory.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        var handler = handlers.CreateHandler(NotificationDispatcher.ClientName);
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        var sockets = Assert.IsType<SocketsHttpHandler>(handler);
        Assert.False(sockets.UseProxy);
        Assert.NotNull(sockets.ConnectCallback);
    }

    [Theory]
    [InlineData("64:ff9b:1::a00:1")]
    [InlineData("64:ff9b:1::cb00:7107")]
    [InlineData("64:ff9b:1:abcd:ef01::1")]
    public void NatSixtyFourLocalUseAddressesAreNotPublic(string address) =>
        Assert.True(SinkAddress.IsPrivate(IPAddress.Parse(address)));
}
