namespace CamaraQos.Agent.Measurement;

/// <summary>
/// A bounded flow table: lookups and inserts do not allocate once a slot exists, and idle flows are evicted.
/// Slots are made on first need and reused after eviction, so the table holds as many as the most flows seen
/// at once (a few KB each), never more than its capacity: an idle gateway does not pay for 4,096 empty slots.
/// When full, a new flow is refused (counted) rather than pushing out a live one: a burst of new connections
/// cannot erase the flows already being measured.
/// </summary>
internal sealed class FlowTable
{
    private readonly MeasurementOptions options;
    private readonly Dictionary<FlowKey, int> index;
    private readonly FlowState[] slots;
    private readonly int[] free;
    private int made;
    private int freeCount;

    public FlowTable(MeasurementOptions options)
    {
        this.options = options;
        index = new Dictionary<FlowKey, int>(options.FlowCapacity);
        slots = new FlowState[options.FlowCapacity];
        free = new int[options.FlowCapacity];
        // Slot 0 exists from the start: it is what a failed lookup hands back (never read by the caller).
        slots[made++] = new FlowState(options);
        free[freeCount++] = 0;
    }

    public int Count => index.Count;

    public long Evicted { get; private set; }

    /// <summary>The slots made so far (in use or free).</summary>
    public ReadOnlySpan<FlowState> Slots => slots.AsSpan(0, made);

    public bool TryGet(in FlowKey key, out FlowState flow)
    {
        var found = index.TryGetValue(key, out var slot);
        flow = slots[found ? slot : 0];
        return found;
    }

    public bool TryAdd(in FlowKey key, bool deviceIsLow, long now, out FlowState flow)
    {
        flow = slots[0];
        int slot;
        if (freeCount > 0)
        {
            slot = free[--freeCount];
        }
        else if (made < slots.Length)
        {
            slot = made;
            slots[made++] = new FlowState(options);
        }
        else
        {
            return false;
        }
        index.Add(key, slot);
        flow = slots[slot];
        flow.Start(key, deviceIsLow, now);
        return true;
    }

    /// <summary>Forgets every flow silent since <paramref name="idleTicks"/> before <paramref name="now"/>.</summary>
    public int EvictIdle(long now, long idleTicks)
    {
        var evicted = 0;
        for (var i = 0; i < made; i++)
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
