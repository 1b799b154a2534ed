using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Agent.Tests;

public class DscpTests
{
    /// <summary>RFC 8325 §4.3 Figure 1 (LE from RFC 8622 §8), one row per service class.</summary>
    [Theory]
    [InlineData(Dscp.CS6, 7)]
    [InlineData(Dscp.EF, 6)]
    [InlineData(Dscp.VoiceAdmit, 6)]
    [InlineData(Dscp.CS5, 5)]
    [InlineData(Dscp.AF41, 4)]
    [InlineData(Dscp.CS4, 4)]
    [InlineData(Dscp.AF31, 4)]
    [InlineData(Dscp.CS3, 4)]
    [InlineData(Dscp.AF21, 3)]
    [InlineData(16, 0)]
    [InlineData(Dscp.AF11, 0)]
    [InlineData(Dscp.DF, 0)]
    [InlineData(Dscp.CS1, 1)]
    [InlineData(Dscp.LE, 1)]
    [InlineData(50, 0)]
    public void WifiUserPriorityFollowsRfc8325(int dscp, int up) => Assert.Equal(up, Dscp.WifiUserPriority(dscp));
}
