using Mamori.Tracing.Model;

namespace Mamori.Tracing.Input;

/// <summary>Merges several time-ordered readers into one time-ordered stream and drops transactions read twice.</summary>
/// <remarks>
/// NIS1 exports are per account, so a transfer between two exported accounts appears in both files. The
/// same transaction has the same time in both, so duplicates are found with a set of transaction-id
/// hashes for the current second only — memory stays bounded however long the stream. Ties in time keep
/// the order of the files on the command line.
/// </remarks>
internal sealed class TransferMerger
{
    private readonly TransferReader[] _readers;
    private readonly Transfer[] _heads;
    private readonly bool[] _live;
    private readonly HashSet<ulong> _seenThisSecond = [];
    private long _second = long.MinValue;

    public TransferMerger(IReadOnlyList<TransferReader> readers)
    {
        _readers = [.. readers];
        _heads = new Transfer[_readers.Length];
        _live = new bool[_readers.Length];
        for (int i = 0; i < _readers.Length; i++) _live[i] = _readers[i].TryRead(out _heads[i]);
    }

    /// <summary>Transactions dropped as already read (same id, same second).</summary>
    public long Duplicates { get; private set; }

    /// <summary>The next transfer in time order.</summary>
    public bool TryRead(out Transfer transfer)
    {
        while (true)
        {
            int best = -1;
            for (int i = 0; i < _heads.Length; i++)
            {
                if (_live[i] && (best < 0 || _heads[i].Time < _heads[best].Time)) best = i;
            }
            if (best < 0)
            {
                transfer = default;
                return false;
            }
            transfer = _heads[best];
            _live[best] = _readers[best].TryRead(out _heads[best]);
            if (_readers.Length == 1 && transfer.TxHash == 0) return true;
            if (transfer.Time != _second)
            {
                _second = transfer.Time;
                _seenThisSecond.Clear();
                _lastHash = 0;
                _lastReader = -1;
            }
            // Records of one transaction (NIS1 mosaics) share its hash and come together from one reader.
            if (transfer.TxHash == 0 || (transfer.TxHash == _lastHash && best == _lastReader) || _seenThisSecond.Add(transfer.TxHash))
            {
                _lastHash = transfer.TxHash;
                _lastReader = best;
                return true;
            }
            Duplicates++;
        }
    }

    private ulong _lastHash;
    private int _lastReader = -1;
}
