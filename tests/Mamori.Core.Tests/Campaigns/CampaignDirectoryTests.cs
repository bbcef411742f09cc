using System.Net;
using Mamori.Campaigns;
using Mamori.Events;
using Mamori.Signals;

namespace Mamori.Core.Tests.Campaigns;

/// <summary>
/// The tracker takes ids from its directory: the local default keeps the per-process sequence (so replay ids do not
/// change); a shared directory gives two trackers — two nodes — one id for one attack, is asked once per node per
/// campaign, hears every count, and decides which node archives a closed campaign.
/// </summary>
public sealed class CampaignDirectoryTests
{
    private static readonly DateTimeOffset T0 = new(2020, 9, 14, 23, 56, 30, TimeSpan.Zero);
    private static readonly CampaignOptions Options = new() { QuietPeriod = TimeSpan.FromHours(1) };

    /// <summary>What a shared store does, in memory: first proposal per key wins; counts and archive claims are shared.</summary>
    private sealed class SharedFake : ICampaignDirectory
    {
        private readonly Dictionary<(CampaignKind, ulong), string> _ids = [];
        private readonly HashSet<string> _archived = [];
        public int Opens, Counts;
        public bool StillOpenElsewhere;
        public bool IsShared => true;
        public string OpenOrGet(CampaignKind kind, ulong scope, string proposedId, DateTimeOffset at)
        {
            lock (_ids)
            {
                Opens++;
                return _ids.TryGetValue((kind, scope), out string? id) ? id : _ids[(kind, scope)] = proposedId;
            }
        }
        public void Counted(string id, CampaignKind kind, ulong scope, string? tenant, ulong account, DateTimeOffset at) => Interlocked.Increment(ref Counts);
        public bool TryClaimArchive(string id, DateTimeOffset now) { lock (_ids) return !StillOpenElsewhere && _archived.Add(id); }
        public ValueTask<IReadOnlyList<SharedCampaign>> ReadAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<SharedCampaign>>([]);
        public ValueTask<IReadOnlyList<SharedCampaign>> OpenAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default) => ValueTask.FromResult<IReadOnlyList<SharedCampaign>>([]);
    }

    private static LoginAttempt Attempt(int i, DateTimeOffset at) => new() { Timestamp = at, Account = $"victim-{i}", Ip = IPAddress.Parse("203.0.113.9") };

    private static string Count(CampaignTracker tracker, CampaignKey key, int i, DateTimeOffset at) =>
        tracker.Count(key, Attempt(i, at), new SignalKeys { Account = (ulong)i + 1 }, success: false, decision: "challenge");

    [Fact]
    public void EstimatedAccountsAndAddresses_NeverExceedTheAttemptsCounted()
    {
        var tracker = new CampaignTracker(Options);
        var key = new CampaignKey(CampaignKind.CredentialStuffing, 11);
        for (int i = 0; i < 2_000; i++)
        {
            // Every attempt a new account from a new address, keyed by well-mixed hashes as the engine's keys are.
            var attempt = new LoginAttempt { Timestamp = T0.AddSeconds(i), Account = $"victim-{i}", Ip = new IPAddress([198, 18, (byte)(i >> 8), (byte)i]) };
            tracker.Count(key, attempt, new SignalKeys { Account = Hashing.Mix((ulong)i * 7919 + 1), Ip = Hashing.Mix((ulong)i * 104729 + 3) }, success: false, decision: "challenge");
            CampaignView view = Assert.Single(tracker.OpenCampaigns());
            Assert.True(view.AccountsTargeted <= view.Attempts, $"{view.AccountsTargeted} accounts from {view.Attempts} attempts");
            Assert.True(view.DistinctIps <= view.Attempts, $"{view.DistinctIps} addresses from {view.Attempts} attempts");
        }
    }

    [Fact]
    public void LocalDefault_NumbersCampaignsPerProcessWithTheFirstMinute()
    {
        var tracker = new CampaignTracker(Options);

        string spray = Count(tracker, new CampaignKey(CampaignKind.PasswordSpray, 7), 0, T0);
        string again = Count(tracker, new CampaignKey(CampaignKind.PasswordSpray, 7), 1, T0.AddMinutes(3));
        string brute = Count(tracker, new CampaignKey(CampaignKind.BruteForce, 9), 2, T0.AddMinutes(5));

        Assert.Equal("cmp-20200914T2356-0001", spray);
        Assert.Equal(spray, again);
        Assert.Equal("cmp-20200915T0001-0002", brute);
        Assert.False(tracker.Directory.IsShared);
    }

    [Fact]
    public void TwoTrackersOnOneSharedDirectory_GiveOneAttackOneIdWhicheverOpensFirst()
    {
        var shared = new SharedFake();
        var nodeA = new CampaignTracker(Options, shared);
        var nodeB = new CampaignTracker(Options, shared);
        var key = new CampaignKey(CampaignKind.PasswordSpray, 42);

        string onA = Count(nodeA, key, 0, T0);
        string onB = Count(nodeB, key, 1, T0.AddMinutes(2));   // B first sees it two minutes later
        for (int i = 2; i < 10; i++) Assert.Equal(onA, Count(i % 2 == 0 ? nodeA : nodeB, key, i, T0.AddMinutes(2 + i)));

        Assert.Equal(onA, onB);
        Assert.Equal(CampaignTracker.ProposedId(CampaignKind.PasswordSpray, 42, T0), onA);
        Assert.Equal(2, shared.Opens);    // once per node, not per attempt
        Assert.Equal(10, shared.Counts);  // every attempt, on either node
    }

    [Fact]
    public void ProposedId_SameForTheSameKeyAndMinute_DifferentForAnotherKindOrScope()
    {
        string id = CampaignTracker.ProposedId(CampaignKind.PasswordSpray, 42, T0);

        Assert.Matches("^cmp-20200914T2356-[0-9a-f]{8}$", id);
        Assert.Equal(id, CampaignTracker.ProposedId(CampaignKind.PasswordSpray, 42, T0.AddSeconds(20)));
        Assert.NotEqual(id, CampaignTracker.ProposedId(CampaignKind.BruteForce, 42, T0));
        Assert.NotEqual(id, CampaignTracker.ProposedId(CampaignKind.PasswordSpray, 43, T0));
    }

    [Fact]
    public void SharedCampaignQuietOnBothNodes_IsArchivedByExactlyOne()
    {
        var shared = new SharedFake();
        var nodeA = new CampaignTracker(Options, shared);
        var nodeB = new CampaignTracker(Options, shared);
        var closed = new List<string>();
        nodeA.Closed += v => closed.Add("a:" + v.Id);
        nodeB.Closed += v => closed.Add("b:" + v.Id);
        var key = new CampaignKey(CampaignKind.CredentialStuffing, 1);
        string id = Count(nodeA, key, 0, T0);
        Count(nodeB, key, 1, T0);

        DateTimeOffset later = T0 + Options.QuietPeriod + TimeSpan.FromMinutes(2);
        nodeA.Sweep(later);
        nodeB.Sweep(later);

        Assert.Equal(["a:" + id], closed);
        Assert.Equal(0, nodeA.OpenCount);
        Assert.Equal(0, nodeB.OpenCount);
    }

    [Fact]
    public void CampaignStillCountedOnAnotherNode_IsNotArchivedByTheQuietOne()
    {
        var shared = new SharedFake { StillOpenElsewhere = true };
        var node = new CampaignTracker(Options, shared);
        var closed = new List<CampaignView>();
        node.Closed += closed.Add;
        Count(node, new CampaignKey(CampaignKind.CredentialStuffing, 1), 0, T0);

        node.Sweep(T0 + Options.QuietPeriod + TimeSpan.FromMinutes(2));

        Assert.Empty(closed);
        Assert.Equal(0, node.OpenCount);   // closed here: the next attempt asks the directory again and rejoins it
    }
}
