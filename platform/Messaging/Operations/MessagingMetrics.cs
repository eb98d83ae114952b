using System.Diagnostics.Metrics;

namespace MachCommerce.Messaging;

/// <summary>
/// The messaging numbers an operator watches, as OpenTelemetry metrics (meter <c>MachCommerce.Messaging</c>)
/// and in <c>/health/ready</c>: outbox backlog and its age, events published, inbox duplicates dropped, and
/// how many messages wait in the service's error queues.
/// </summary>
public sealed class MessagingMetrics : IDisposable
{
    public const string MeterName = "MachCommerce.Messaging";

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _duplicates;
    private long _duplicatesTotal;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _published = _meter.CreateCounter<long>("mach.outbox.published", "{event}", "Events the relay published with a broker confirm.");
        _duplicates = _meter.CreateCounter<long>("mach.inbox.duplicates_dropped", "{message}", "Redelivered messages the inbox acknowledged without effect.");
        _meter.CreateObservableGauge("mach.outbox.backlog", () => Latest.Backlog, "{event}", "Committed events not yet published.");
        _meter.CreateObservableGauge("mach.outbox.backlog_age", () => Latest.OldestAgeSeconds, "s", "Age of the oldest unpublished event.");
        _meter.CreateObservableGauge("mach.error_queue.depth", () => Latest.ErrorQueueDepth, "{message}", "Messages waiting in this service's _error queues.");
    }

    /// <summary>The last sample taken by <see cref="MessagingStatus"/>.</summary>
    public MessagingSnapshot Latest { get; internal set; } = new(0, 0, 0, new Dictionary<string, long>());

    public long DuplicatesDropped => Interlocked.Read(ref _duplicatesTotal);

    internal void Published(int count) => _published.Add(count);

    internal void DuplicateDropped()
    {
        Interlocked.Increment(ref _duplicatesTotal);
        _duplicates.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}

public sealed record MessagingSnapshot(long Backlog, double OldestAgeSeconds, long ErrorQueueDepth, IReadOnlyDictionary<string, long> ErrorQueues);
