using System.Runtime.CompilerServices;

namespace Mamori.State.Tests;

/// <summary>
/// The records' sizes are what the memory budget rests on (docs/BENCHMARKS.md, "In-process engine": ~100 bytes a
/// tracked address): a field added where there was padding must not grow them.
/// </summary>
public sealed class RecordLayoutTests
{
    [Fact]
    public void AnAccountRecord_Is376Bytes() => Assert.Equal(376, Unsafe.SizeOf<AccountRecord>());

    [Fact]
    public void ASourceRecord_Is80Bytes() => Assert.Equal(80, Unsafe.SizeOf<SourceState>());
}
