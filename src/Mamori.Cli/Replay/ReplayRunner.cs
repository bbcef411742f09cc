using System.Globalization;
using Mamori.Campaigns;
using Mamori.Cli.Replay.Readers;
using Mamori.Policy;
using Mamori.Signals;
using Mamori.Simulation;
using Mamori.State;

namespace Mamori.Cli.Replay;

/// <summary>What a replay produced: counts, the engine (for campaigns), and what the report needs.</summary>
internal sealed class ReplayResult
{
    public long Events { get; set; }
    public long BadRows { get; set; }
    public List<(int Line, string Error)> BadRowSamples { get; } = [];
    public long Allowed { get; set; }
    public long Challenged { get; set; }
    public long Denied { get; set; }
    public DateTimeOffset? First { get; set; }
    public DateTimeOffset? Last { get; set; }
    /// <summary>Events more than <see cref="ReplayRunner.OrderTolerance"/> earlier than one before them (a log not in time order).</summary>
    public long OutOfOrder { get; set; }
    /// <summary>The input line of the first such event.</summary>
    public int? FirstOutOfOrderLine { get; set; }
    /// <summary>Events carrying each optional field the engine reads (after <c>--geoip</c> filled in what it could).</summary>
    public FieldCoverage Fields { get; } = new();
    public required LoginAssessor Engine { get; init; }
    /// <summary>Accounts with a successful login that looks taken or exposed (see <see cref="TakeoverTriage"/>), by account.</summary>
    public Dictionary<string, TakeoverAccount> Triaged { get; } = new(StringComparer.Ordinal);
    /// <summary>Flagged accounts past <see cref="ReplayRunner.MaxTriagedAccounts"/>, counted but not listed.</summary>
    public long UntrackedTriaged { get; set; }
    /// <summary>Logins held up for their environment alone, waiting on what their address does next (see <see cref="AddressHindsight"/>).</summary>
    public AddressHindsight Hindsight { get; } = new();
    /// <summary>Logins <see cref="Hindsight"/> listed at the end of the log.</summary>
    public int ListedInHindsight { get; set; }
    /// <summary>Successes from the hosting networks' ASNs, per ASN; null when <c>Familiarity:StepUpHostingNetworks</c> is off.</summary>
    public HostingNetworksSeen? Hosting { get; init; }

    /// <summary>Likely takeovers (high, then medium confidence), most confident first.</summary>
    /// <remarks>Sorted once, at the first call after the run (up to a million accounts; the summary, the reports and the
    /// triage score all read it): the run is over by then, so <see cref="Triaged"/> no longer changes.</remarks>
    public IReadOnlyList<TakeoverAccount> LikelyTakeovers()
    {
        if (_likelyTakeovers is not null) return _likelyTakeovers;
        TakeoverAccount[] listed = [.. Triaged.Values.Where(t => t.Confidence >= TakeoverConfidence.Medium)];
        foreach (TakeoverAccount t in listed)
            t.ThroughReturningClient = Hosting is not null && t.OneClient is (int asn, string agent) && Hosting.IsReturningClient(asn, agent);
        return _likelyTakeovers = [.. listed.Order(Comparer<TakeoverAccount>.Create(TakeoverAccount.Compare))];
    }

    private TakeoverAccount[]? _likelyTakeovers;

    /// <summary>Accounts whose owner logged in with a password that was being sprayed, earliest first.</summary>
    public IReadOnlyList<TakeoverAccount> ExposedPasswords() =>
        Triaged.Values.Where(t => t.Confidence == TakeoverConfidence.ExposedPassword).OrderBy(t => t.FirstLine).ToArray();

    public int CountTriaged(TakeoverConfidence confidence) => Triaged.Values.Count(t => t.Confidence == confidence);
    /// <summary>Attempts per hour by decision, for the timeline.</summary>
    public SortedDictionary<DateTimeOffset, long[]> Timeline { get; } = [];
    /// <summary>Scores labelled events as they go, for --score (null when not asked).</summary>
    public Mamori.Simulation.Scoring.LabelScorer? Scorer { get; init; }
    public long LabelledEvents { get; set; }
    /// <summary>With <see cref="Scorer"/>: the accounts with a login labelled a takeover (at most
    /// <see cref="ReplayRunner.MaxTriagedAccounts"/>), to score the analyst's list (<see cref="ScoreTriage"/>).</summary>
    public HashSet<string> TakenAccounts { get; } = new(StringComparer.Ordinal);
    /// <summary>More accounts were labelled taken than <see cref="TakenAccounts"/> holds.</summary>
    public bool TakenAccountsCapped { get; set; }

    /// <summary>The analyst's list against the labels; null without <c>--score</c> or without a labelled takeover.</summary>
    /// <remarks>Counted once, like <see cref="LikelyTakeovers"/>: the terminal, the JSON and the HTML report each read it.</remarks>
    public TriageScore? ScoreTriage() =>
        Scorer is null || TakenAccounts.Count == 0 ? null : _triageScore ??= TriageScore.Of(LikelyTakeovers(), TakenAccounts, TakenAccountsCapped);

    private TriageScore? _triageScore;
    /// <summary>Set when <c>--strict</c> stopped the replay at a bad row: its physical line and what was wrong.</summary>
    public (int Line, string Error)? StoppedAt { get; set; }
    public bool Aborted => StoppedAt is not null;
    /// <summary>The run was cancelled (Ctrl-C) before the end of the log; <see cref="Events"/> says how far it came.</summary>
    public bool Interrupted { get; set; }
    public List<CampaignView> ClosedCampaigns { get; } = [];
    /// <summary>The store's tables at the end: a table that evicted keys forgot the history of some accounts or sources.</summary>
    public IReadOnlyList<SignalTableUsage> Tables { get; set; } = [];
}

/// <summary>An event with its ground truth, for policies run beside the engine (baselines).</summary>
internal readonly record struct LoginEventWithTruth(Events.LoginEvent Event, GroundTruth? Truth);

/// <summary>
/// Runs a login log through the same engine the server uses, on event time, in file order, and writes the
/// decisions file as it goes (so a 33M-row log never sits in memory).
/// </summary>
internal static class ReplayRunner
{
    /// <summary>Bad rows whose text is kept for the report; the rest are counted.</summary>
    public const int MaxBadRowSamples = 1_000;

    /// <summary>Campaigns kept for the report.</summary>
    public const int MaxCampaignsReported = 100_000;

    /// <summary>Accounts the triage keeps details of (a few hundred bytes each); more are counted.</summary>
    public const int MaxTriagedAccounts = 1_000_000;

    /// <summary>
    /// How much earlier than the latest event so far an event may be and still count as in order: logs merged from
    /// several servers interleave within seconds. Beyond it, windows and campaigns no longer mean what they say.
    /// </summary>
    public static readonly TimeSpan OrderTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Events ahead whose index words are prefetched, whose entries and attempt objects are (see
    /// <see cref="InMemorySignalStore.PrefetchIndex"/>), and whose row and keys are: lines the other thread wrote, which
    /// the index words' prefetch reads.</summary>
    private const int PrefetchIndexAhead = 8, PrefetchEntriesAhead = 4, PrefetchRowsAhead = 16;

    /// <summary>A <see cref="Events.LoginAttempt"/>'s fields (six references, the time, the fingerprint, the ASN):
    /// what the engine reads of it, for the prefetch. An attempt that grows a field is then prefetched in part.</summary>
    private const int AttemptBytes = 96;

    /// <remarks>A cancelled <paramref name="cancel"/> stops the replay at the next batch of rows, with
    /// <see cref="ReplayResult.Interrupted"/> set; the decisions written so far are then not all of them.</remarks>
    public static ReplayResult Run(ILoginEventReader reader, TextWriter? decisions, MamoriOptions options, bool strict, Action<long>? progress = null,
        Mamori.Simulation.Scoring.LabelScorer? scorer = null, Action<LoginEventWithTruth>? alsoTo = null, CancellationToken cancel = default)
    {
        // Only this thread calls the store: its observations need no lock.
        var store = new InMemorySignalStore(options) { SingleCaller = true };
        // Terse: the decisions file and the report keep reason codes only, so no sentence is formatted per finding.
        var engine = new LoginAssessor(options, store) { Terse = true };
        var result = new ReplayResult
        {
            Engine = engine, Scorer = scorer,
            Hosting = options.Familiarity.StepUpHostingNetworks
                ? new HostingNetworksSeen(engine.HostingAsns,
                    Network.NetworkSet.TryParse([.. options.SharedAddress.KnownNetworks, .. options.SharedAddress.PartnerNetworks], out _))
                : null,
        };
        // Every campaign that closes during the log, not only the tracker's recent few.
        engine.Campaigns.Closed += view => { if (result.ClosedCampaigns.Count < MaxCampaignsReported) result.ClosedCampaigns.Add(view); };
        decisions?.Write("line,decision,score,reasons\n");
        long eventNumber = 0;
        // The engine runs here, alone and in file order, so the decisions are exactly those of a single-threaded
        // replay; parsing, the books and the decisions file run on the pipeline's thread (see ReplayPipeline).
        // The other thread also touches the store's next chunks of memory before the engine fills them.
        using (var pipeline = new ReplayPipeline(reader, decisions, new Books(result), store.PrepareGrowth))
        {
            bool stop = false;
            while (!stop && pipeline.TryTake(out ReplayPipeline.RowBatch batch))
            {
                // Checked per batch, not per row: a thousand rows take a millisecond, and the engine's loop stays tight.
                if (cancel.IsCancellationRequested)
                {
                    result.Interrupted = true;
                    break;
                }
                ReadResult[] rows = batch.Rows;
                int count = batch.Count, processed = count;
                for (int i = 0; i < count; i++)
                {
                    // The store's tables outgrow the CPU's caches: start loading what the next events will touch.
                    if (i + PrefetchRowsAhead < count)
                    {
                        CacheHint.Prefetch(in rows[i + PrefetchRowsAhead]);
                        CacheHint.Prefetch(in batch.Keys[i + PrefetchRowsAhead]);
                    }
                    if (i + PrefetchIndexAhead < count && rows[i + PrefetchIndexAhead].IsValid)
                        store.PrefetchIndex(in batch.Keys[i + PrefetchIndexAhead]);
                    if (i + PrefetchEntriesAhead < count && rows[i + PrefetchEntriesAhead].IsValid)
                    {
                        store.PrefetchEntries(in batch.Keys[i + PrefetchEntriesAhead]);
                        CacheHint.Prefetch(rows[i + PrefetchEntriesAhead].Event.Attempt, AttemptBytes);
                    }
                    ref readonly ReadResult row = ref rows[i];
                    if (!row.IsValid)
                    {
                        if (strict) { result.StoppedAt = (row.Line, row.Error!); stop = true; processed = i + 1; break; }
                        continue;
                    }
                    eventNumber++;
                    // The in-memory store completes synchronously: no task is allocated and no thread is switched.
                    batch.Assessments[i] = engine.AssessEvent(row.Event, in batch.Keys[i]);
                    if (row.StepUpPassed is bool passed) ConfirmStepUp(engine, row.Event, passed);
                    alsoTo?.Invoke(new LoginEventWithTruth(row.Event, row.Truth));
                    if ((eventNumber & 0xFFFF) == 0) progress?.Invoke(eventNumber);
                }
                batch.Processed = processed;
                pipeline.Done(batch);
            }
            // Interrupted: the books and decisions of the batches in flight are not wanted; disposing stops the other thread.
            if (!result.Interrupted) pipeline.Complete();
        }
        long untracked = result.UntrackedTriaged;
        result.ListedInHindsight = result.Hindsight.Conclude(result.Triaged, MaxTriagedAccounts, ref untracked);
        result.UntrackedTriaged = untracked;
        result.Events = eventNumber;
        result.Tables = store.Tables;
        progress?.Invoke(eventNumber);
        return result;
    }

    /// <summary>
    /// The log says whether the login service's own second factor passed on this login, as the server is told (<c>POST
    /// /v1/login/step-up</c>). Passed: the device is trusted, and a requested step-up or an exposed secret is cleared, so
    /// its next logins are the user's; a login without a device id has no device to trust (the server mints one; a log
    /// cannot). Failed: the account's next success asks for a step-up, from any device, until one passes (ADR 0044).
    /// </summary>
    private static void ConfirmStepUp(LoginAssessor engine, Events.LoginEvent loginEvent, bool passed)
    {
        Events.LoginAttempt attempt = loginEvent.Attempt;
        if (loginEvent.Outcome != Events.LoginOutcome.Success) return;
        // The in-process store completes at once. A failed one asks for a step-up at the next success, as the server does.
        engine.SetStepUpRequestedAsync(attempt.Account, attempt.Tenant, !passed).AsTask().GetAwaiter().GetResult();
        if (!passed) return;
        if (attempt.Device is { } device)
            engine.SetDeviceTrustAsync(attempt.Account, attempt.Tenant, device, true, attempt.Timestamp).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The tallies, timeline, score and triage of a replay, kept on the pipeline's thread (off the engine's).</summary>
    private sealed class Books(ReplayResult result) : IReplaySink
    {
        private DateTimeOffset _currentHour = DateTimeOffset.MinValue;
        private long[] _hourCounts = [];
        private long _latestTicks = long.MinValue;

        public void Bad(in ReadResult row)
        {
            result.BadRows++;
            if (result.BadRowSamples.Count < MaxBadRowSamples) result.BadRowSamples.Add((row.Line, row.Error!));
        }

        public void Assessed(in ReadResult row, in SignalKeys keys, in EventAssessment assessment)
        {
            Verdict verdict = assessment.Combined;
            switch (verdict)
            {
                case Verdict.Allow: result.Allowed++; break;
                case Verdict.Deny: result.Denied++; break;
                default: result.Challenged++; break;
            }
            result.Fields.Add(row.Event.Attempt);
            DateTimeOffset at = row.Event.Attempt.Timestamp;
            result.First ??= at;
            result.Last = at;
            if (at.UtcTicks > _latestTicks) _latestTicks = at.UtcTicks;
            else if (_latestTicks - at.UtcTicks > OrderTolerance.Ticks)
            {
                result.OutOfOrder++;
                result.FirstOutOfOrderLine ??= row.Line;
            }
            DateTimeOffset hour = new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
            if (hour != _currentHour)
            {
                if (!result.Timeline.TryGetValue(hour, out long[]? counts)) result.Timeline[hour] = counts = new long[3];
                _currentHour = hour;
                _hourCounts = counts;
            }
            _hourCounts[verdict == Verdict.Allow ? 0 : verdict == Verdict.Deny ? 2 : 1]++;
            if (row.Truth is GroundTruth truth)
            {
                result.LabelledEvents++;
                result.Scorer?.Add(truth, row.Event.Outcome, verdict.ToIntervention(), at);
                if (truth.Takeover && result.Scorer is not null)
                {
                    if (result.TakenAccounts.Count < MaxTriagedAccounts) result.TakenAccounts.Add(row.Event.Attempt.Account);
                    else if (!result.TakenAccounts.Contains(row.Event.Attempt.Account)) result.TakenAccountsCapped = true;
                }
            }
            TakeoverConfidence confidence = row.Event.Outcome == Events.LoginOutcome.Success
                ? TakeoverTriage.Classify(in assessment, withDevice: row.Event.Attempt.Device is not null)
                : TakeoverConfidence.None;
            bool waits = row.Event.Outcome == Events.LoginOutcome.Success && AddressHindsight.Waits(confidence, in assessment);
            if (row.Event.Outcome == Events.LoginOutcome.Success) result.Hosting?.Add(row.Event.Attempt, in assessment);
            result.Hindsight.Observe(in row, keys.Ip, in assessment, waits);
            if (row.Event.Outcome == Events.LoginOutcome.Success && MayBeTriaged(keys.Account)
                && result.Triaged.TryGetValue(row.Event.Attempt.Account, out TakeoverAccount? listed))
                listed.Succeeded(row.Event.Attempt);
            if (confidence != TakeoverConfidence.None) Triage(result, in row, keys.Account, in assessment, confidence);
        }

        /// <summary>One bit per slice of the accounts' keys, set once an account of the slice is triaged: most
        /// successes are of accounts never flagged, and the bit, in cache, spares them the dictionary's look-up (as
        /// <see cref="AddressHindsight"/>'s filter does for addresses).</summary>
        private readonly ulong[] _triaged = new ulong[(1 << TriagedFilterShift) / 64];
        private const int TriagedFilterShift = 18;

        private bool MayBeTriaged(ulong key)
        {
            (int word, ulong bit) = Hashing.FilterSlot(key, TriagedFilterShift);   // the account key is a hash
            return (_triaged[word] & bit) != 0;
        }

        private void Triage(ReplayResult result, in ReadResult row, ulong key, in EventAssessment assessment, TakeoverConfidence confidence)
        {
            Events.LoginAttempt attempt = row.Event.Attempt;
            if (!result.Triaged.TryGetValue(attempt.Account, out TakeoverAccount? account))
            {
                if (result.Triaged.Count >= MaxTriagedAccounts)
                {
                    result.UntrackedTriaged++;
                    return;
                }
                result.Triaged[attempt.Account] = account = new TakeoverAccount(attempt.Account);
                (int word, ulong bit) = Hashing.FilterSlot(key, TriagedFilterShift);
                _triaged[word] |= bit;
            }
            account.Add(confidence, row.Line, attempt.Timestamp, attempt.Ip, in assessment, attempt.Device, attempt.Asn, attempt.UserAgent);
        }
    }

    /// <summary>
    /// One decisions row, <c>line,decision,score,reasons</c> (reasons as wire names joined by <c>;</c>), into
    /// <paramref name="buffer"/>; returns its length. Formatted in place: no string per row.
    /// </summary>
    internal static int FormatDecision(Span<char> buffer, long eventNumber, in EventAssessment a)
    {
        int n = 0;
        eventNumber.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
        n += written;
        buffer[n++] = ',';
        n += Append(buffer[n..], a.Combined.ToWireName());
        buffer[n++] = ',';
        n += Append(buffer[n..], ScoreText(a.Score));
        buffer[n++] = ',';
        bool first = true;
        foreach (Reason reason in a.PreAuth.ReasonSpan)
            n += AppendReason(buffer[n..], reason.Code, ref first);
        foreach (Reason reason in a.Outcome.ReasonSpan)
            if (!a.PreAuth.Has(reason.Code)) n += AppendReason(buffer[n..], reason.Code, ref first);
        buffer[n++] = '\n';
        return n;
    }

    // A log's scores take a few hundred distinct values (noisy-or of a few weights, four decimals), and a custom
    // numeric format is slow: each distinct score is formatted once per thread. Bounded, in case a tenant's options
    // make them many.
    [ThreadStatic] private static Dictionary<double, string>? t_scoreTexts;
    private const int MaxCachedScores = 4096;

    private static string ScoreText(double score)
    {
        Dictionary<double, string> cache = t_scoreTexts ??= [];
        if (cache.TryGetValue(score, out string? text)) return text;
        text = score.ToString("0.####", CultureInfo.InvariantCulture);
        if (cache.Count < MaxCachedScores) cache[score] = text;
        return text;
    }

    /// <summary>Longest row <see cref="FormatDecision"/> can write: every reason code in both halves, with room to spare.</summary>
    internal const int MaxDecisionChars = 4096;

    private static int AppendReason(Span<char> buffer, ReasonCode code, ref bool first)
    {
        int n = 0;
        if (!first) buffer[n++] = ';';
        first = false;
        return n + Append(buffer[n..], code.ToWireName());
    }

    private static int Append(Span<char> buffer, string text)
    {
        text.CopyTo(buffer);
        return text.Length;
    }

    /// <summary>Campaigns open at the end of the log and those that closed during it.</summary>
    public static IReadOnlyList<CampaignView> AllCampaigns(ReplayResult result) =>
        result.ClosedCampaigns.Concat(result.Engine.Campaigns.OpenCampaigns())
            .OrderBy(c => c.FirstSeen).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
}
