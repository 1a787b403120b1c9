using System.Buffers;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// Streams the lines of a file as bytes with their line numbers and offsets, in constant memory. A last line
/// without its newline is reported as such: the caller decides whether a torn write may be used.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int ChunkSize = 1 << 16;
    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _start;
    private int _end;
    private bool _eof;
    private long _consumed;

    public LineReader(Stream stream, long startOffset = 0)
    {
        _stream = stream;
        _consumed = startOffset;
        if (startOffset > 0)
        {
            stream.Seek(startOffset, SeekOrigin.Begin);
        }
        else
        {
            SkipBom();
        }
    }

    public long LineNumber { get; private set; }

    /// <summary>Offset of the byte after the last line returned (its newline included).</summary>
    public long Offset => _consumed;

    /// <summary>The next line without its newline; <paramref name="terminated"/> is false for a last line cut short.</summary>
    public bool TryRead(out ReadOnlySpan<byte> line, out bool terminated)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                _consumed += newline + 1;
                LineNumber++;
                terminated = true;
                return true;
            }

            if (_eof)
            {
                if (_end > _start)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    _consumed += _end - _start;
                    _start = _end;
                    LineNumber++;
                    terminated = false;
                    return true;
                }

                line = default;
                terminated = false;
                return false;
            }

            Fill();
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _stream.Dispose();
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow; memory is bounded by the longest line, not the file.
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private void SkipBom()
    {
        Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
            _consumed = 3;
        }
    }
}
