namespace CamaraQos.Controller.Notifications;

/// <summary>Configuration section <c>Notifications</c> (docs/ARCHITECTURE.md §8).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Lab and test only: the specs require https sinks (specs/camara/NOTES.md, "Sinks").</summary>
    public bool AllowHttpSinks { get; set; }

    /// <summary>Lab and test only: off, this is the SSRF guard against loopback and private targets.</summary>
    public bool AllowPrivateSinks { get; set; }

    /// <summary>Delivery attempts per notification before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 10;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the outbox is read when nothing wakes it (other instances' rows, retries).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once, so one slow sink does not hold up the others.</summary>
    public int MaxConcurrency { get; set; } = 8;
}
