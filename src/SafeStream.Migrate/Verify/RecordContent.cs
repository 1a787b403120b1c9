using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Verify;

/// <summary>
/// What identifies a record on both sides (its key) and a hash of what it says (its content), so files and database
/// can be compared without holding either in memory. The content leaves out what the import adds (a fresh id for a
/// line that had none) and covers everything a line carries.
/// </summary>
internal sealed class RecordContent
{
    public const int HashLength = 16;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    /// <summary>The source key of an imported legacy line, else the event id (8 bytes; never 36, so the two never meet).</summary>
    public static byte[] Key(long id, byte[]? sourceKey)
    {
        if (sourceKey is not null)
        {
            return sourceKey;
        }

        var key = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(key, id);
        return key;
    }

    public byte[] Hash(StorageEvent e)
    {
        _buffer.ResetWrittenCount();
        switch (e)
        {
            case ChatMessage m:
                Write(m.User).Write(m.Text).Write(m.Toxic).Write(BitConverter.DoubleToInt64Bits(m.Score)).Write(m.Blocked);
                break;
            case Gift g:
                Write(g.From).Write(g.GiftId).Write(g.Amount);
                break;
            case AdminAction a:
                Write(a.Admin).Write(a.Action).Write(a.Target).Write(a.Details);
                break;
            default:
                throw new ArgumentException($"Unknown event kind {e.GetType().Name}.", nameof(e));
        }

        return Write(Micros.ToUnix(e.Ts)).Finish();
    }

    /// <summary>What a user is in users.json: name, password hash, active, email (the database's extra fields are its own).</summary>
    public byte[] Hash(User u)
    {
        _buffer.ResetWrittenCount();
        return Write(u.Username).Write(u.PasswordHash).Write(u.IsActive).Write(u.Email).Finish();
    }

    private byte[] Finish()
    {
        Span<byte> full = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(_buffer.WrittenSpan, full);
        return full[..HashLength].ToArray();
    }

    // Length-prefixed, with null distinct from empty, so no two different records serialise alike.
    private RecordContent Write(string? value)
    {
        if (value is null)
        {
            return Write(-1);
        }

        var span = _buffer.GetSpan(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _buffer.Advance(4 + length);
        return this;
    }

    private RecordContent Write(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    private RecordContent Write(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    private RecordContent Write(bool value) => Write(value ? 1 : 0);
}
