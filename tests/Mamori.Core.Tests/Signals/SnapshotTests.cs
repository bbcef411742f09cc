using System.Net;
using Mamori.Core.Tests.Support;
using Mamori.Events;
using Mamori.State;

namespace Mamori.Core.Tests.Signals;

public sealed class SnapshotTests
{
    [Fact]
    public async Task RestoredStore_GivesTheSameDecisionsAsTheOneThatKeptRunning()
    {
        var world = new TestWorld(seed: 31);
        var users = Enumerable.Range(0, 300).Select(i => world.NewUser(i)).ToList();
        world.BuildHistory(users, days: 3);
        for (int i = 0; i < 40; i++)
        {
            world.Run(world.Attempt(users[i].Account, new IPAddress([45, 9, 9, (byte)i]), "Autumn2020", 16276, "FR", TestWorld.WindowsChrome, null), LoginOutcome.WrongSecret);
            world.Advance(TimeSpan.FromSeconds(5));
        }
        using var snapshot = new MemoryStream();
        world.Store.Save(snapshot);
        snapshot.Position = 0;
        var restored = new InMemorySignalStore(world.Options);
        restored.Load(snapshot);
        var restoredEngine = new LoginAssessor(world.Options, restored);

        // The next events: the spray goes on, a user logs in from home, another from a new phone.
        var next = new List<LoginEvent>();
        for (int i = 40; i < 60; i++)
            next.Add(new LoginEvent(world.Attempt(users[i].Account, new IPAddress([45, 9, 9, (byte)i]), "Autumn2020", 16276, "FR", TestWorld.WindowsChrome, null), LoginOutcome.WrongSecret));
        next.Add(new LoginEvent(world.Attempt(users[100].Account, users[100].HomeIp, users[100].Secret, users[100].Asn, "JP", users[100].UserAgent, users[100].Device), LoginOutcome.Success));
        next.Add(new LoginEvent(world.Attempt(users[101].Account, new IPAddress([1, 66, 0, 1]), users[101].Secret, 9605, "JP", TestWorld.AndroidChrome, "new-phone"), LoginOutcome.Success));
        foreach (LoginEvent e in next)
        {
            EventAssessment kept = await world.Engine.AssessEventAsync(e);
            EventAssessment back = await restoredEngine.AssessEventAsync(e);
            Assert.Equal(kept.Combined, back.Combined);
            Assert.Equal(kept.Score, back.Score);
            Assert.Equal(kept.Outcome.Reasons.Select(r => r.Code), back.Outcome.Reasons.Select(r => r.Code));
        }
        EventAssessment sprayed = await world.Engine.AssessEventAsync(next[0]);
        Assert.True(sprayed.PreAuth.Has(Policy.ReasonCode.SprayedSecret));
    }

    [Fact]
    public void SnapshotFromOtherWindows_IsRefusedNotMisread()
    {
        var store = new InMemorySignalStore(new MamoriOptions());
        using var snapshot = new MemoryStream();
        store.Save(snapshot);
        snapshot.Position = 0;
        var other = new MamoriOptions();
        other.Stuffing.Window = TimeSpan.FromHours(2);
        var ex = Assert.Throws<InvalidDataException>(() => new InMemorySignalStore(other).Load(snapshot));
        Assert.Contains("window", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => new InMemorySignalStore(new MamoriOptions()).Load(new MemoryStream(new byte[64])));
    }
}
