using Microsoft.Extensions.Options;

namespace CamaraQos.Controller.HomeDevicesQod;

/// <summary>Section <c>HomeDevicesQod</c>.</summary>
public sealed class HomeDevicesQodOptions
{
    /// <summary>How many devices of one home may have a non-default class at once (409 HOME_DEVICES_QOD.TOO_MANY_DEVICES).</summary>
    public int MaxDevicesPerHome { get; set; } = 4;

    /// <summary>
    /// Service class name → the Wi-Fi band a device must be on for it, as the gateway's inventory reports it
    /// (e.g. <c>real_time_interactive: 5GHz</c>). Empty: no class requires a band.
    /// </summary>
    public Dictionary<string, string> RequiredBands { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long PUT /qos waits for the gateway to report the change before 504 TIMEOUT.</summary>
    public int ConfirmTimeoutMilliseconds { get; set; } = 5000;
}

/// <summary>Checked at start, each failure naming its key.</summary>
public sealed class HomeDevicesQodOptionsValidator : IValidateOptions<HomeDevicesQodOptions>
{
    public ValidateOptionsResult Validate(string? name, HomeDevicesQodOptions options)
    {
        var failures = new List<string>();
        if (options.MaxDevicesPerHome < 1)
        {
            failures.Add("HomeDevicesQod:MaxDevicesPerHome must be at least 1.");
        }
        if (options.ConfirmTimeoutMilliseconds < 1)
        {
            failures.Add("HomeDevicesQod:ConfirmTimeoutMilliseconds must be positive.");
        }
        foreach (var (serviceClass, band) in options.RequiredBands)
        {
            if (ServiceClass.Find(serviceClass) is not { IsStandard: false })
            {
                failures.Add($"HomeDevicesQod:RequiredBands:{serviceClass} names no service class that can require a band " +
                    $"({string.Join(", ", ServiceClass.All.Where(c => !c.IsStandard).Select(c => c.Name))}).");
            }
            else if (string.IsNullOrWhiteSpace(band))
            {
                failures.Add($"HomeDevicesQod:RequiredBands:{serviceClass} must name a band (e.g. 5GHz).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
