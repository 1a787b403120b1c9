using System.Buffers.Binary;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Deterministic keys for legacy lines, which carry no id, 36 bytes kept whole in a unique column: the record's
/// time (8 bytes, big-endian microseconds since 1970, zero for a line without one), the first 24 bytes of the
/// SHA-256 of the line's bytes, and its occurrence number among identical lines (two identical lines are two
/// records). Re-reading the same files, even after rotation renamed them, yields the same keys, so an import never
/// duplicates. The time prefix makes keys of a log, which is written in time order, arrive nearly in index order:
/// the unique index grows at its end instead of taking random inserts all over a B-tree bigger than the cache.
/// </summary>
/// <remarks>
/// Occurrences are counted within a window of the last <c>window</c> lines, which keeps memory flat whatever the
/// input size. Identical lines share a timestamp to the microsecond, so they sit next to each other in the logs;
/// two with more than a window of other lines between them would share a key and the second would be taken for a re-import.
/// If an older identical line was rotated out of existence, the newer one takes the lower number, which is already
/// imported: nothing is duplicated.
/// </remarks>
public sealed class SourceKeys(int window = 1 << 18)
{
    public const int Length = 36;

    private readonly Dictionary<UInt128, (int Count, long Last)> _seen = [];
    private readonly Queue<(UInt128 Id, long Position)> _order = new();
    private long _position;

    /// <summary>The key of the next line with this SHA-256 <paramref name="hash"/>, whose record has the time <paramref name="ts"/>.</summary>
    public byte[] Next(ReadOnlySpan<byte> hash, DateTimeOffset? ts = null)
    {
        var id = BinaryPrimitives.ReadUInt128LittleEndian(hash);
        var position = _position++;
        var occurrence = _seen.GetValueOrDefault(id).Count;
        _seen[id] = (occurrence + 1, position);
        _order.Enqueue((id, position));
        if (_order.Count > window)
        {
            // A count is forgotten only once its latest line left the window, so a run of identical lines keeps counting.
            var (oldest, at) = _order.Dequeue();
            if (_seen[oldest].Last == at)
            {
                _seen.Remove(oldest);
            }
        }

        var key = new byte[Length];
        BinaryPrimitives.WriteUInt64BigEndian(key, ts is { } t ? (ulong)Math.Max(0, Model.Micros.ToUnix(t)) : 0);
        hash[..24].CopyTo(key.AsSpan(8));
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(32), occurrence);
        return key;
    }
}
