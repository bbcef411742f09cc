using System.Threading.Channels;
using Mamori.Events;
using Mamori.Policy;

namespace Mamori.Dashboard;

/// <summary>
/// Recent decisions for the dashboard: a bounded ring of the latest items, per-minute counters for the last hour,
/// and a broadcast to live-stream subscribers.
/// </summary>
/// <remarks>
/// <para>Thread-safe. <see cref="Publish"/> is called on the login path after each decision, so it takes one short lock,
/// never waits for a reader and never throws for a slow one: each subscriber has its own bounded buffer that drops its
/// oldest items. Counters are bucketed by the item's own timestamp, so replayed traffic counts in its own minutes.</para>
/// <para>A login is counted once. The server publishes two items for one login, its pre-auth decision and its outcome;
/// counting both made every attempt two, and the outcome's allow of a wrong password (nothing to hold up) painted an
/// attack denied at pre-auth green. An item continues an earlier login when it has that login's
/// <see cref="FeedItem.RequestId"/>, or, without one, when it is an outcome and the same tenant, account and IP have a
/// pre-auth item not yet answered within <see cref="PairingWindow"/>. The chart counts each login once, in its first
/// item's minute, with the strictest verdict of its items (deny, then challenge or step-up, then allow).</para>
/// </remarks>
public sealed class DecisionFeed
{
    /// <summary>Minutes of counters kept: the overview's chart covers one hour.</summary>
    public const int MinutesKept = 60;

    /// <summary>The latest minutes that count as "now" for rates; the rest of the hour is the baseline.</summary>
    public const int CurrentRateMinutes = 5;

    /// <summary>Longest time from a pre-auth item to the outcome that continues it, when items carry no request id.</summary>
    /// <remarks>The server forgets an unanswered login after <c>PendingTtl</c> (at most an hour), so a later outcome of
    /// the same account and address is another login.</remarks>
    public static readonly TimeSpan PairingWindow = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly FeedEntry[] _ring;
    private readonly Dictionary<string, PendingLogin> _logins = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, PendingLogin Login)> _loginOrder = new();
    private readonly MinuteCounts[] _minutes = new MinuteCounts[MinutesKept];
    private readonly int _maxSubscribers;
    private readonly int _subscriberBuffer;
    private Subscriber[] _subscribers = [];
    private int _next;
    private int _count;
    private long _published;
    private long _lastLogin;

    /// <summary>Creates a feed with <paramref name="options"/> (validated and copied now).</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names every bad setting.</exception>
    public DecisionFeed(DecisionFeedOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _ring = new FeedEntry[options.Capacity];
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
            _ring[_next] = new FeedEntry(item, CountLogin(item));
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
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
                FeedItem item = _ring[(_next - i + _ring.Length) % _ring.Length].Item;
                if (filter.Matches(item)) result.Add(item);
            }
        }
        return result;
    }

    /// <summary>Items of one campaign still in the ring, oldest first.</summary>
    internal IReadOnlyList<FeedItem> ForCampaign(string campaignId) => EntriesForCampaign(campaignId).Select(e => e.Item).ToArray();

    /// <summary>Items of one campaign still in the ring with the login each belongs to, oldest first.</summary>
    internal IReadOnlyList<FeedEntry> EntriesForCampaign(string campaignId)
    {
        var result = new List<FeedEntry>();
        lock (_gate)
        {
            for (int i = _count; i >= 1; i--)
            {
                FeedEntry entry = _ring[(_next - i + _ring.Length) % _ring.Length];
                foreach (string id in entry.Item.CampaignIds)
                    if (string.Equals(id, campaignId, StringComparison.Ordinal)) { result.Add(entry); break; }
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

    /// <summary>Finds or starts the login <paramref name="item"/> belongs to and counts it; returns the login's number. Under the lock.</summary>
    private long CountLogin(FeedItem item)
    {
        string key = item.RequestId is { } requestId ? "r\n" + requestId : "k\n" + item.Tenant + "\n" + item.Account + "\n" + item.Ip;
        if (_logins.TryGetValue(key, out PendingLogin? login) &&
            (item.RequestId is not null || (item.Outcome is not null && item.Time - login.Time <= PairingWindow)))
        {
            // Without a request id, an outcome answers its pre-auth item; the next outcome is another login's.
            if (item.RequestId is null) _logins.Remove(key);
            CountOutcome(item);
            Verdict stricter = Stricter(login.Verdict, item.Decision);
            if (Bucket(stricter) != Bucket(login.Verdict) && TrySlot(login.Minute, out int index))
            {
                // The login stays in its first minute; only the colour it is charted in changes.
                Add(ref _minutes[index], login.Verdict, -1);
                Add(ref _minutes[index], stricter, +1);
            }
            login.Verdict = stricter;
            return login.Number;
        }
        var started = new PendingLogin(++_lastLogin, item.Time, MinuteOf(item.Time)) { Verdict = item.Decision };
        // Remembered while its other half may come: every item with a request id, a pre-auth item without one.
        if (item.RequestId is not null || item.Outcome is null)
        {
            _logins[key] = started;
            _loginOrder.Enqueue((key, started));
            // Bounded like the ring: a login whose first half left the ring that long ago is not continued.
            while (_loginOrder.Count > _ring.Length)
            {
                (string oldKey, PendingLogin old) = _loginOrder.Dequeue();
                if (_logins.TryGetValue(oldKey, out PendingLogin? current) && ReferenceEquals(current, old)) _logins.Remove(oldKey);
            }
        }
        if (TrySlot(started.Minute, out int slot, create: true)) Add(ref _minutes[slot], item.Decision, +1);
        CountOutcome(item);
        return started.Number;
    }

    private void CountOutcome(FeedItem item)
    {
        if (item.Outcome is not LoginOutcome outcome || !TrySlot(MinuteOf(item.Time), out int index, create: true)) return;
        ref MinuteCounts slot = ref _minutes[index];
        slot.Outcomes++;
        if (outcome != LoginOutcome.Success) slot.Failures++;
        if (outcome == LoginOutcome.UnknownAccount) slot.UnknownAccounts++;
    }

    /// <summary>The slot holding <paramref name="minute"/>; with <paramref name="create"/>, a slot of an older minute is reset for it.</summary>
    private bool TrySlot(long minute, out int index, bool create = false)
    {
        index = Slot(minute);
        ref MinuteCounts slot = ref _minutes[index];
        if (slot.Minute == minute) return true;
        // An item older than the slot's minute is outside the hour kept (a late replay): not counted.
        if (!create || minute < slot.Minute) return false;
        slot = new MinuteCounts { Minute = minute };
        return true;
    }

    private static void Add(ref MinuteCounts slot, Verdict verdict, int delta)
    {
        switch (verdict)
        {
            case Verdict.Allow: slot.Allow += delta; break;
            case Verdict.Challenge or Verdict.StepUp: slot.Challenge += delta; break;
            case Verdict.Deny: slot.Deny += delta; break;
        }
    }

    /// <summary>Chart bucket: allow 0, challenge and step-up 1, deny 2.</summary>
    private static int Bucket(Verdict verdict) => verdict switch
    {
        Verdict.Deny => 2,
        Verdict.Challenge or Verdict.StepUp => 1,
        _ => 0,
    };

    /// <summary>The stricter of two verdicts of one login; on a tie the later one (a step-up after a challenge).</summary>
    internal static Verdict Stricter(Verdict first, Verdict later) => Bucket(later) >= Bucket(first) ? later : first;

    private static long MinuteOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerMinute;

    private static int Slot(long minute) => (int)(minute % MinutesKept);

    internal sealed record Subscriber(FeedFilter Filter, Channel<FeedItem> Channel);

    /// <summary>A login whose later items may still come: its number, first time and minute, and strictest verdict so far.</summary>
    private sealed class PendingLogin(long number, DateTimeOffset time, long minute)
    {
        public long Number { get; } = number;
        public DateTimeOffset Time { get; } = time;
        public long Minute { get; } = minute;
        public Verdict Verdict { get; set; }
    }

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

/// <summary>A feed item and the number of the login it belongs to (the halves of one login share it).</summary>
internal readonly record struct FeedEntry(FeedItem Item, long Login);

/// <summary>Logins by the verdict they are charted with, and outcomes, counted in one minute.</summary>
internal struct MinuteCounts
{
    /// <summary>Absolute minute number (UTC ticks / ticks per minute).</summary>
    public long Minute;
    public int Allow, Challenge, Deny, Outcomes, Failures, UnknownAccounts;

    public readonly DateTimeOffset Start => new(Minute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
