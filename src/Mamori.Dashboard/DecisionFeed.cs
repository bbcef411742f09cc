using System.Threading.Channels;
using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>
/// Recent decisions for the dashboard: a bounded ring of the latest items, per-minute counters for the last hour,
/// and a broadcast to live-stream subscribers.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="Publish"/> is called on the login path after each decision, so it takes one short lock,
/// never waits for a reader and never throws for a slow one: each subscriber has its own bounded buffer that drops its
/// oldest items. Counters are bucketed by the item's own timestamp, so replayed traffic counts in its own minutes.
/// </remarks>
public sealed class DecisionFeed
{
    /// <summary>Minutes of counters kept: the overview's chart covers one hour.</summary>
    public const int MinutesKept = 60;

    /// <summary>The latest minutes that count as "now" for rates; the rest of the hour is the baseline.</summary>
    public const int CurrentRateMinutes = 5;

    private readonly Lock _gate = new();
    private readonly FeedItem?[] _ring;
    private readonly MinuteCounts[] _minutes = new MinuteCounts[MinutesKept];
    private readonly int _maxSubscribers;
    private readonly int _subscriberBuffer;
    private Subscriber[] _subscribers = [];
    private int _next;
    private int _count;
    private long _published;

    /// <summary>Creates a feed with <paramref name="options"/> (validated and copied now).</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names every bad setting.</exception>
    public DecisionFeed(DecisionFeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ring = new FeedItem?[options.Capacity];
        _maxSubscribers = options.MaxSubscribers;
        _subscriberBuffer = options.SubscriberBuffer;
    }

    /// <summary>Items published since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Live subscribers now.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Adds a decision: kept in the ring, counted in its minute, and offered to every matching subscriber.</summary>
    public void Publish(FeedItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Subscriber[] subscribers;
        lock (_gate)
        {
            _ring[_next] = item;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
            Count(item);
            _published++;
            subscribers = _subscribers;
        }
        // Outside the lock: a filter or a full channel must not hold up other publishers.
        foreach (Subscriber subscriber in subscribers)
            if (subscriber.Filter.Matches(item)) subscriber.Channel.Writer.TryWrite(item);
    }

    /// <summary>The latest items matching <paramref name="filter"/>, newest first, at most <paramref name="limit"/>.</summary>
    internal IReadOnlyList<FeedItem> Recent(FeedFilter filter, int limit)
    {
        var result = new List<FeedItem>(Math.Min(limit, 256));
        lock (_gate)
        {
            for (int i = 1; i <= _count && result.Count < limit; i++)
            {
                FeedItem item = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                if (filter.Matches(item)) result.Add(item);
            }
        }
        return result;
    }

    /// <summary>Items of one campaign still in the ring, oldest first.</summary>
    internal IReadOnlyList<FeedItem> ForCampaign(string campaignId)
    {
        var result = new List<FeedItem>();
        lock (_gate)
        {
            for (int i = _count; i >= 1; i--)
            {
                FeedItem item = _ring[(_next - i + _ring.Length) % _ring.Length]!;
                foreach (string id in item.CampaignIds)
                    if (string.Equals(id, campaignId, StringComparison.Ordinal)) { result.Add(item); break; }
            }
        }
        return result;
    }

    /// <summary>Counts per minute for the <see cref="MinutesKept"/> minutes ending with the minute of <paramref name="now"/>, oldest first.</summary>
    internal MinuteCounts[] Minutes(DateTimeOffset now)
    {
        long last = MinuteOf(now);
        var series = new MinuteCounts[MinutesKept];
        lock (_gate)
        {
            for (int i = 0; i < MinutesKept; i++)
            {
                long minute = last - MinutesKept + 1 + i;
                MinuteCounts slot = _minutes[Slot(minute)];
                series[i] = slot.Minute == minute ? slot : new MinuteCounts { Minute = minute };
            }
        }
        return series;
    }

    /// <summary>
    /// Registers a live subscriber, or returns null when <see cref="DecisionFeedOptions.MaxSubscribers"/> are already
    /// connected. Dispose the subscription to leave.
    /// </summary>
    internal FeedSubscription? Subscribe(FeedFilter filter)
    {
        var channel = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(_subscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        });
        var subscriber = new Subscriber(filter, channel);
        lock (_gate)
        {
            if (_subscribers.Length >= _maxSubscribers) return null;
            // Copy-on-write: Publish iterates a snapshot without holding the lock.
            _subscribers = [.. _subscribers, subscriber];
        }
        return new FeedSubscription(this, subscriber);
    }

    private void Unsubscribe(Subscriber subscriber)
    {
        lock (_gate) _subscribers = _subscribers.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
        subscriber.Channel.Writer.TryComplete();
    }

    private void Count(FeedItem item)
    {
        long minute = MinuteOf(item.Time);
        ref MinuteCounts slot = ref _minutes[Slot(minute)];
        if (slot.Minute != minute)
        {
            // An item older than the slot's minute is outside the hour kept (a late replay): not counted.
            if (minute < slot.Minute) return;
            slot = new MinuteCounts { Minute = minute };
        }
        switch (item.Decision)
        {
            case Verdict.Allow: slot.Allow++; break;
            case Verdict.Challenge or Verdict.StepUp: slot.Challenge++; break;
            case Verdict.Deny: slot.Deny++; break;
        }
        if (item.Outcome is LoginOutcome outcome)
        {
            slot.Outcomes++;
            if (outcome != LoginOutcome.Success) slot.Failures++;
            if (outcome == LoginOutcome.UnknownAccount) slot.UnknownAccounts++;
        }
    }

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerMinute;

    private static int Slot(long minute) => (int)(minute % MinutesKept);

    internal sealed record Subscriber(FeedFilter Filter, Channel<FeedItem> Channel);

    /// <summary>One live reader of the feed.</summary>
    internal sealed class FeedSubscription(DecisionFeed feed, Subscriber subscriber) : IDisposable
    {
        private int _disposed;

        /// <summary>Items as they are published (dropping the oldest when this reader lags).</summary>
        public ChannelReader<FeedItem> Reader => subscriber.Channel.Reader;

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) feed.Unsubscribe(subscriber);
        }
    }
}

/// <summary>Decisions and outcomes counted in one minute.</summary>
internal struct MinuteCounts
{
    /// <summary>Absolute minute number (UTC ticks / ticks per minute).</summary>
    public long Minute;
    public int Allow, Challenge, Deny, Outcomes, Failures, UnknownAccounts;

    public readonly DateTimeOffset Start => new(Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
