namespace CamaraQos.Controller.Observability;

/// <summary>
/// Section <c>Observability</c>: where traces go and how fresh the database-backed gauges are. Not
/// <c>Telemetry</c>, which is the gateways' measurements (controller/Telemetry).
/// </summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>
    /// OTLP collector for traces (http://host:4317 for gRPC, or with <see cref="OtlpProtocol"/> <c>HttpProtobuf</c>
    /// the /v1/traces URL). Unset: traces are recorded for nothing but the log's trace ids, and never leave the process.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "Grpc";

    /// <summary>
    /// How old the per-state counts read from the database may be when scraped. Each refresh is one
    /// GROUP BY per table, so a scrape every few seconds never turns into a query per label.
    /// </summary>
    public double StateRefreshSeconds { get; set; } = 5;

    internal static IEnumerable<string> Validate(ObservabilityOptions o)
    {
        if (o.OtlpEndpoint is { } e && (!e.IsAbsoluteUri || (e.Scheme != Uri.UriSchemeHttp && e.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{Section}:OtlpEndpoint must be an absolute http or https URL, not '{e}'.";
        }
        if (o.OtlpProtocol is not ("Grpc" or "HttpProtobuf"))
        {
            yield return $"{Section}:OtlpProtocol must be Grpc or HttpProtobuf, not '{o.OtlpProtocol}'.";
        }
        if (!(o.StateRefreshSeconds >= 0 && o.StateRefreshSeconds <= 300))
        {
            yield return $"{Section}:StateRefreshSeconds must be between 0 and 300, not {o.StateRefreshSeconds}.";
        }
    }
}
