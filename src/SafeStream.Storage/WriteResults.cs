using SafeStream.Storage.Model;

namespace SafeStream.Storage;

/// <summary>
/// The outcomes of one executed list of writes, each read back typed by the op that produced it:
/// <c>results.Of(patch)</c> is the patched <see cref="User"/>, <c>results.Of(append)</c> an <see cref="AppendResult"/>.
/// </summary>
public sealed class WriteResults
{
    private readonly IReadOnlyList<WriteOp> _ops;
    private readonly object?[] _results;
    private Dictionary<WriteOp, int>? _index;

    internal WriteResults(IReadOnlyList<WriteOp> ops, object?[] results)
    {
        _ops = ops;
        _results = results;
    }

    public int Count => _results.Length;

    /// <summary>What <paramref name="op"/> (one of the ops executed, by reference) came to.</summary>
    public TResult Of<TResult>(WriteOp<TResult> op) => (TResult)_results[IndexOf(op)]!;

    private int IndexOf(WriteOp op)
    {
        if (_ops.Count <= 8)
        {
            for (var i = 0; i < _ops.Count; i++)
            {
                if (ReferenceEquals(_ops[i], op))
                {
                    return i;
                }
            }
        }
        else
        {
            _index ??= Index(_ops);
            if (_index.TryGetValue(op, out var i))
            {
                return i;
            }
        }

        throw new ArgumentException("The op was not among those executed.", nameof(op));
    }

    private static Dictionary<WriteOp, int> Index(IReadOnlyList<WriteOp> ops)
    {
        var index = new Dictionary<WriteOp, int>(ops.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < ops.Count; i++)
        {
            index.TryAdd(ops[i], i);
        }

        return index;
    }
}

/// <summary>What an <see cref="AppendEvents"/> did: rows inserted, and ids found stored already with other content.</summary>
public sealed record AppendResult(int Inserted, IReadOnlyList<IdConflict> Conflicts)
{
    public static readonly AppendResult Nothing = new(0, []);
}

/// <summary>
/// An event whose id is stored already with different content: the new one was not stored. Ids are never reused,
/// so this means a bug or a store written by something else; it is reported, never dropped in silence.
/// </summary>
public sealed record IdConflict(StorageEvent Incoming, StorageEvent Stored);
