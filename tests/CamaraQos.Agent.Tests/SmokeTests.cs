using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests;

public class DscpTests
{
    [Theory]
    [InlineData(Dscp.EF, 6)]
    [InlineData(Dscp.CS4, 5)]
    [InlineData(Dscp.AF31, 4)]
    [InlineData(Dscp.AF21, 3)]
    [InlineData(Dscp.CS1, 1)]
    [InlineData(Dscp.DF, 0)]
    public void WifiUserPriorityFollowsRfc8325(int dscp, int up) => Assert.Equal(up, Dscp.WifiUserPriority(dscp));
}
