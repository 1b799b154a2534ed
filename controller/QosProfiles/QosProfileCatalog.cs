namespace CamaraQos.Controller.QosProfiles;

/// <summary>The QoS profiles this operator offers, from configuration (section <c>QosProfiles</c>).</summary>
public interface IQosProfileCatalog
{
    IReadOnlyList<QosProfile> All { get; }
    QosProfile? Find(string name);
}
