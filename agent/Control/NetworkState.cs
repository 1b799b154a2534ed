using CamaraQos.Agent.Native;

namespace CamaraQos.Agent.Control;

/// <summary>The latest interfaces/inventory snapshot; <see cref="Changed"/> fires only when it differs.</summary>
public sealed class NetworkState
{
    private NetworkSnapshot _current = NetworkSnapshot.Empty;

    public NetworkSnapshot Current => Volatile.Read(ref _current);

    public event Action<NetworkSnapshot>? Changed;

    public bool Update(NetworkSnapshot snapshot)
    {
        if (Interlocked.Exchange(ref _current, snapshot).Equals(snapshot))
        {
            return false;
        }
        Changed?.Invoke(snapshot);
        return true;
    }
}
