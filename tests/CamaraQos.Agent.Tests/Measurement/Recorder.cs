using CamaraQos.Agent.Measurement;

namespace CamaraQos.Agent.Tests.Measurement;

/// <summary>An engine with the LAN 192.168.1.0/24 that keeps every sample it reports.</summary>
internal sealed class Recorder
{
    public Recorder(CaptureSide side = CaptureSide.Single, MeasurementOptions? options = null)
    {
        Side = side;
        IpPrefix.TryParse("192.168.1.0/24", out var lan);
        Engine = new MeasurementEngine((options ?? new MeasurementOptions()) with { LanPrefixes = [lan!.Value] }, Samples.Add);
    }

    public CaptureSide Side { get; }

    public MeasurementEngine Engine { get; }

    public List<RttSample> Samples { get; } = [];

    /// <summary>Feeds a frame at a time in milliseconds from an arbitrary epoch.</summary>
    public Recorder At(double ms, byte[] frame)
    {
        Engine.OnPacket(frame, Frames.Ms(1_000_000 + ms), Side);
        return this;
    }

    public IEnumerable<(RttHalf Half, RttMethod Method, double Ms)> Seen() =>
        Samples.Select(s => (s.Half, s.Method, Math.Round(s.RttMs, 3)));
}
