using CamaraQos.Controller.Camara;
using CamaraQos.Controller.QosProfiles;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CamaraQos.Controller.QualityOnDemandV0;

/// <summary>getQosProfiles and getQosProfile of v0.10.1: the same catalog as qos-profiles v1.</summary>
public static class QodV0Profiles
{
    private static readonly string[] RateUnits = ["bps", "kbps", "Mbps", "Gbps", "Tbps"];

    /// <summary>No profile matching the filters is the spec's 404 QosProfilesNotFound404 (it documents no 400 here).</summary>
    public static Results<Ok<List<QosProfile>>, CamaraError> List(string? name, string? status, IQosProfileCatalog catalog)
    {
        var found = catalog.All
            .Where(p => name is null || p.Name == name)
            .Where(p => status is null || p.Status == status)
            .Select(ToV0)
            .ToList();
        return found.Count == 0 ? CamaraError.NotFound("No QoS Profiles found") : TypedResults.Ok(found);
    }

    public static Results<Ok<QosProfile>, CamaraError> Get(string name, IQosProfileCatalog catalog)
    {
        if (!QosProfileValidation.IsValidName(name))
        {
            return CamaraError.InvalidArgument("name must match ^[a-zA-Z0-9_.-]+$ with 3 to 256 characters.");
        }
        return catalog.Find(name) is { } profile
            ? TypedResults.Ok(ToV0(profile))
            : CamaraError.NotFound("QosProfile Id does not exist");
    }

    /// <summary>v0.10.1 <c>Rate.value</c> is at most 1024: a larger value moves to the next unit (rounded).</summary>
    public static QosProfile ToV0(QosProfile p) => p with
    {
        TargetMinUpstreamRate = Scale(p.TargetMinUpstreamRate),
        MaxUpstreamRate = Scale(p.MaxUpstreamRate),
        MaxUpstreamBurstRate = Scale(p.MaxUpstreamBurstRate),
        TargetMinDownstreamRate = Scale(p.TargetMinDownstreamRate),
        MaxDownstreamRate = Scale(p.MaxDownstreamRate),
        MaxDownstreamBurstRate = Scale(p.MaxDownstreamBurstRate),
    };

    public static Rate? Scale(Rate? rate)
    {
        var (value, unit) = (rate?.Value ?? 0, Array.IndexOf(RateUnits, rate?.Unit));
        if (rate is null || unit < 0)
        {
            return rate;
        }
        while (value > 1024 && unit < RateUnits.Length - 1)
        {
            (value, unit) = ((long)Math.Round(value / 1000.0), unit + 1);
        }
        return new Rate(Math.Min(value, 1024), RateUnits[unit]);
    }
}
