namespace CamaraQos.Agent.Measurement;

/// <summary>
/// A fixed-capacity flow table: every slot and the index are allocated up front, lookups and inserts do
/// not allocate, and idle flows are evicted. When full, a new flow is refused (counted) rather than
/// pushing out a live one: a burst of new connections cannot erase the flows already being measured.
/// </summary>
internal sealed class FlowTable
{
    private readonly Dictionary<FlowKey, int> index;
    private readonly FlowState[] slots;
    private readonly int[] free;
    private int freeCount;

    public FlowTable(MeasurementOptions options)
    {
        index = new Dictionary<FlowKey, int>(options.FlowCapacity);
        slots = new FlowState[options.FlowCapacity];
        free = new int[options.FlowCapacity];
        for (var i = 0; i < slots.Length; i++)
        {
            slots[i] = new FlowState(options);
            free[i] = slots.Length - 1 - i;
        }
        freeCount = slots.Length;
    }

    public int Count => index.Count;

    public long Evicted { get; private set; }

    public ReadOnlySpan<FlowState> Slots => slots;

    public bool TryGet(in FlowKey key, out FlowState flow)
    {
        var found = index.TryGetValue(key, out var slot);
        flow = slots[found ? slot : 0];
        return found;
    }

    public bool TryAdd(in FlowKey key, bool deviceIsLow, long now, out FlowState flow)
    {
        flow = slots[0];
        if (freeCount == 0)
        {
            return false;
        }
        var slot = free[--freeCount];
        index.Add(key, slot);
        flow = slots[slot];
        flow.Start(key, deviceIsLow, now);
        return true;
    }

    /// <summary>Forgets every flow silent since <paramref name="idleTicks"/> before <paramref name="now"/>.</summary>
    public int EvictIdle(long now, long idleTicks)
    {
        var evicted = 0;
        for (var i = 0; i < slots.Length; i++)
        {
            var flow = slots[i];
            if (flow.InUse && now - flow.LastSeenTicks >= idleTicks)
            {
                index.Remove(flow.Key);
                flow.Stop();
                free[freeCount++] = i;
                evicted++;
            }
        }
        Evicted += evicted;
        return evicted;
    }
}
