using Mamori.Tracing.Policies;

namespace Mamori.Tracing.Tests.Policies;

public sealed class PathBookTests
{
    [Fact]
    public void Reconstruct_UsesTheRouteKnownAtTheTimeNotALaterShortcut()
    {
        var book = new PathBook();
        book.Observe(0, 0, -1, 10);     // source S = 0
        book.Observe(1, 1, 0, 20);      // S → A
        book.Observe(2, 2, 1, 30);      // A → B
        book.Observe(3, 3, 2, 40);      // B → C at 40
        book.Observe(2, 1, 0, 50);      // later, S → B directly

        Assert.Equal([0, 1, 2, 3], book.Reconstruct(3, 45).Select(h => h.Account));   // C's taint came via A at 40
        Assert.Equal([0, 2], book.Reconstruct(2, 60).Select(h => h.Account));         // B's best route by 60
    }

    [Fact]
    public void History_IsCappedPerAccountAndPathsStayTimeRespecting()
    {
        var book = new PathBook();
        book.Observe(0, 0, -1, 0);
        for (int i = 1; i <= 20; i++) book.Observe(i, i, i - 1, i);   // a chain 0 → 1 → … → 20
        for (int hops = 19; hops >= 1; hops--) book.Observe(20, hops, hops - 1, 100 - hops);   // 20 keeps finding shorter routes

        Assert.Equal(PathBook.MaxHistoryPerAccount + 20, book.StepCount);
        PathHop[] path = book.Reconstruct(20, 1_000);
        Assert.Equal(2, path.Length);   // the latest (shortest) route survives the cap
        for (int i = 1; i < path.Length; i++) Assert.True(path[i].Time >= path[i - 1].Time);
    }
}
