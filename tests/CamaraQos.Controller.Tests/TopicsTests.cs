using CamaraQos.Shared;
using Xunit;

namespace CamaraQos.Controller.Tests;

public class TopicsTests
{
    [Theory]
    [InlineData("camaraqos/v1/agents/gw-1/desired", true, "gw-1", "desired")]
    [InlineData("camaraqos/v1/agents/gw-1/desired/extra", false, "", "")]
    [InlineData("camaraqos/v1/agents//desired", false, "", "")]
    [InlineData("camaraqos/v1/agents/gw-1/", false, "", "")]
    [InlineData("other/v1/agents/gw-1/desired", false, "", "")]
    public void TopicsParseOnlyTheContractShape(string topic, bool ok, string agent, string kind)
    {
        Assert.Equal(ok, Topics.TryParse(topic, out var a, out var k));
        Assert.Equal(agent, a);
        Assert.Equal(kind, k);
    }
}
