using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.QosProfiles;

/// <summary>The QoS profiles this operator offers, from configuration (section <c>QosProfiles</c>).</summary>
public interface IQosProfileCatalog
{
    IReadOnlyList<QosProfile> All { get; }
    QosProfile? Find(string name);
}

/// <summary>
/// The configured list, or <see cref="QosProfileDefaults"/> when the section is empty. Profiles are the
/// same for every device and every caller: the gateway, not the profile, decides where QoS applies.
/// </summary>
public sealed class ConfiguredQosProfileCatalog : IQosProfileCatalog
{
    private readonly Dictionary<string, QosProfile> _byName;

    public ConfiguredQosProfileCatalog(IOptions<QosProfileCatalogOptions> options)
    {
        var configured = options.Value.Profiles;
        All = configured.Count == 0 ? QosProfileDefaults.All : [.. configured.Select(QosProfileValidation.ToProfile)];
        _byName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<QosProfile> All { get; }

    /// <summary>Names are matched exactly (case-sensitive), as identifiers.</summary>
    public QosProfile? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Fails the start with every problem in the <c>QosProfiles</c> section, each naming its key.</summary>
public sealed class QosProfileCatalogOptionsValidator : IValidateOptions<QosProfileCatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, QosProfileCatalogOptions options)
    {
        var errors = QosProfileValidation.Validate(options.Profiles);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
