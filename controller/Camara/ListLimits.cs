namespace CamaraQos.Controller.Camara;

/// <summary>
/// Lengths of request lists checked before anything reaches a gateway (docs/ARCHITECTURE.md §8). The
/// specs allow 65536 ports per portsSpec; each entry becomes a classifier element in the gateway's desired
/// document and kernel set, so a session carries at most <see cref="MaxPortEntries"/>.
/// </summary>
public static class ListLimits
{
    /// <summary>Ranges plus ports in one portsSpec (devicePorts, applicationServerPorts).</summary>
    public const int MaxPortEntries = 100;

    /// <summary>Phone numbers plus network access identifiers bound to one subscriber.</summary>
    public const int MaxIdentifiers = 100;
}
