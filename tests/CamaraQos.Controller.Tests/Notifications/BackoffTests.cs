using CamaraQos.Controller.Notifications;
using Xunit;

namespace CamaraQos.Controller.Tests.Notifications;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 0.0, 1000)]
    [InlineData(1, 0.999999, 2000)]
    [InlineData(2, 0.0, 2000)]
    [InlineData(3, 0.5, 6000)]
    [InlineData(7, 0.0, 30000)]
    [InlineData(7, 0.999999, 60000)]
    [InlineData(1000, 0.0, 30000)]
    public void RetryDelayDoublesWithJitterAndStopsAtTheMaximum(int attempts, double random, int expectedMs)
    {
        var delay = Backoff.Next(attempts, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), random);

        Assert.InRange(delay.TotalMilliseconds, expectedMs - 1, expectedMs + 1);
    }
}
