using CamaraQos.Agent.Configuration;
using CamaraQos.Agent.Control;
using Xunit;

namespace CamaraQos.Agent.Tests.Control;

public class BackoffTests
{
    private static readonly BackoffPolicy Policy = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), 2);

    [Theory]
    [InlineData(0.0, new[] { 5.0, 10, 20, 40, 60, 60 })]
    [InlineData(1.0, new[] { 10.0, 20, 40, 60, 60, 60 })]
    [InlineData(0.5, new[] { 7.5, 15, 30, 50, 60, 60 })]
    public void EachRetryWaitsWithinADoublingWindowCappedAtTheMaximum(double random, double[] expectedSeconds)
    {
        var backoff = new Backoff(Policy, () => random);

        var waits = expectedSeconds.Select(_ => backoff.Next().TotalSeconds).ToArray();

        Assert.Equal(expectedSeconds, waits);
    }

    [Fact]
    public void WaitsAreRandomizedSoAFleetDoesNotReconnectInStep()
    {
        var waits = Enumerable.Range(0, 50).Select(_ => new Backoff(Policy).Next()).Distinct().Count();

        Assert.True(waits > 40, $"only {waits} distinct first waits out of 50");
    }

    [Fact]
    public void EveryWaitLiesInItsWindowForAnyRandomDraw()
    {
        var backoff = new Backoff(Policy);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var low = Math.Min(5 * Math.Pow(2, attempt), 60);
            var wait = backoff.Next().TotalSeconds;
            Assert.InRange(wait, low, 60);
        }
    }

    [Fact]
    public void ResetAfterASuccessfulSessionStartsAgainFromTheMinimum()
    {
        var backoff = new Backoff(Policy, () => 0);
        backoff.Next();
        backoff.Next();
        backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(5), backoff.Next());
    }
}
