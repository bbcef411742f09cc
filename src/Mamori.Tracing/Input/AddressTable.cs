using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Mamori.Tracing.Input;

/// <summary>Interns normalised account addresses to dense ids in one flat open-addressing table.</summary>
/// <remarks>
/// <para>Written by hand because the tracer's hottest line is "which id is this address": two lookups per
/// transfer, over a million or more accounts, with no locality (any account can pay any other). A
/// <c>Dictionary&lt;string,int&gt;</c> costs three dependent cache misses per hit (bucket, entry, the string
/// to compare) and was 27% of a 10M-transfer trace's CPU. Here the key lives inside its slot, so a hit is one
/// miss: hash, probe, compare 40 bytes in the same slot. It also replaces a 100-byte string per account with a
/// 48-byte slot; the text is rebuilt only when a report asks for it.</para>
/// <para>Keys are the two normalised forms <see cref="AddressBook"/> produces: NEM (40 upper-case Base32
/// characters) and Ethereum (<c>0x</c> + 40 lower-case hex, stored without the prefix and marked as such).
/// Linear probing at a load factor of at most 3/4; ids are never removed. Not thread-safe.</para>
/// </remarks>
internal sealed class AddressTable
{
    /// <summary>Characters stored per key (both forms, without Ethereum's <c>0x</c>).</summary>
    public const int KeyLength = 40;

    private const byte KindNem = 1, KindEthereum = 2;

    [InlineArray(KeyLength)]
    private struct KeyBytes
    {
        private byte _first;
    }

    /// <summary>One slot: 48 bytes, the key in line so that a hit touches one place in memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public int IdPlusOne;   // 0 = empty
        public int Kind;
        public KeyBytes Key;
    }

    private Slot[] _slots = new Slot[1024];
    private int[] _slotOfId = new int[1024];
    private int _count;

    /// <summary>Distinct addresses.</summary>
    public int Count => _count;

    /// <summary>The address text of an id (allocates: for reports, not the hot path).</summary>
    public string this[int id]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)id, (uint)_count, nameof(id));
            ref Slot slot = ref _slots[_slotOfId[id]];
            string key = Encoding.ASCII.GetString(slot.Key);
            return slot.Kind == KindEthereum ? "0x" + key : key;
        }
    }

    /// <summary>The id of a textual address if it is in the table exactly as written (normalised form).</summary>
    public bool TryGetId(ReadOnlySpan<char> text, out int id)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        if (!TryKey(text, key, out byte kind))
        {
            id = -1;
            return false;
        }
        ref Slot slot = ref Find(key, kind, Hash(key, kind), out _);
        id = slot.IdPlusOne - 1;
        return id >= 0;
    }

    /// <summary>Hints the CPU to load the slot an address would be found in, so that a reader can start the
    /// lookups of several rows before doing the first (the misses then overlap instead of queueing).</summary>
    public unsafe void Prefetch(ReadOnlySpan<char> text)
    {
        if (!Sse.IsSupported) return;
        Span<byte> key = stackalloc byte[KeyLength];
        if (!TryKey(text, key, out byte kind)) return;
        Slot[] slots = _slots;
        // A hint only: if the GC moves the table in between, the CPU fetches a stale line and nothing else happens.
        Sse.Prefetch0(Unsafe.AsPointer(ref slots[(int)(Hash(key, kind) & (uint)(slots.Length - 1))]));
    }

    /// <summary>The id of a normalised address, adding it when new.</summary>
    /// <exception cref="ArgumentException">The text is not a normalised NEM or Ethereum address.</exception>
    public int GetOrAdd(ReadOnlySpan<char> normalized)
    {
        Span<byte> key = stackalloc byte[KeyLength];
        if (!TryKey(normalized, key, out byte kind)) throw new ArgumentException($"'{normalized}' is not a normalised address.", nameof(normalized));
        uint hash = Hash(key, kind);
        ref Slot slot = ref Find(key, kind, hash, out int index);
        if (slot.IdPlusOne != 0) return slot.IdPlusOne - 1;
        if ((_count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
            slot = ref Find(key, kind, hash, out index);
        }
        slot.Kind = kind;
        key.CopyTo(slot.Key);
        slot.IdPlusOne = _count + 1;
        if (_count == _slotOfId.Length) Array.Resize(ref _slotOfId, _slotOfId.Length * 2);
        _slotOfId[_count] = index;
        return _count++;
    }

    /// <summary>Turns text into a stored key: 40 ASCII bytes and a kind. False when it cannot be one as written.</summary>
    private static bool TryKey(ReadOnlySpan<char> text, Span<byte> key, out byte kind)
    {
        kind = 0;
        if (text.Length == KeyLength + 2 && text[0] == '0' && text[1] == 'x')
        {
            text = text[2..];
            kind = KindEthereum;
        }
        else if (text.Length == KeyLength) kind = KindNem;
        else return false;
        return Ascii.FromUtf16(text, key, out int written) == OperationStatus.Done && written == KeyLength;
    }

    private static uint Hash(ReadOnlySpan<byte> key, byte kind)
    {
        // Five 64-bit words, multiply-rotate mixed; addresses are already uniformly random (Base32 of a hash, or hex).
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(key);
        ulong h = 0x9E3779B97F4A7C15UL ^ kind;
        foreach (ulong w in words) h = BitOperations.RotateLeft((h ^ w) * 0xBF58476D1CE4E5B9UL, 27);
        h ^= h >> 31;
        h *= 0x94D049BB133111EBUL;
        return (uint)(h >> 32);
    }

    /// <summary>The slot holding the key, or the empty slot where it would go.</summary>
    private ref Slot Find(ReadOnlySpan<byte> key, byte kind, uint hash, out int index)
    {
        Slot[] slots = _slots;
        int mask = slots.Length - 1;
        index = (int)(hash & (uint)mask);
        while (true)
        {
            ref Slot slot = ref slots[index];
            if (slot.IdPlusOne == 0 || (slot.Kind == kind && key.SequenceEqual(slot.Key))) return ref slot;
            index = (index + 1) & mask;
        }
    }

    private void Grow()
    {
        Slot[] old = _slots;
        _slots = new Slot[old.Length * 2];
        int mask = _slots.Length - 1;
        foreach (ref readonly Slot slot in old.AsSpan())
        {
            if (slot.IdPlusOne == 0) continue;
            int index = (int)(Hash(slot.Key, (byte)slot.Kind) & (uint)mask);
            while (_slots[index].IdPlusOne != 0) index = (index + 1) & mask;
            _slots[index] = slot;
            _slotOfId[slot.IdPlusOne - 1] = index;
        }
    }
}
