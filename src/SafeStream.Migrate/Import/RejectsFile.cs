using System.Text.Encodings.Web;
using System.Text.Json;
using SafeStream.Migrate.Cli;
using SafeStream.Storage;

namespace SafeStream.Migrate.Import;

/// <summary>One rejected line, as a line of the rejects file.</summary>
internal sealed record RejectEntry(string File, long Line, string Reason, string? Raw);

/// <summary>
/// The rejects file: one JSON line per rejected legacy line, with file, line number, reason and the raw text, so an
/// operator can fix and re-import them. Created only when something is rejected; written as it goes (flat memory).
/// </summary>
internal sealed class RejectsFile(string path) : IDisposable
{
    private FileStream? _stream;
    private Utf8JsonWriter? _writer;

    public long Count { get; private set; }

    /// <summary>The file, or null when nothing was rejected.</summary>
    public string? Path => _stream is null ? null : path;

    public void Write(RejectEntry entry)
    {
        if (_stream is null)
        {
            SecureFiles.CreateParent(path);
            _stream = SecureFiles.Open(path, FileMode.Create, FileAccess.Write, FileShare.Read);
            _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }

        JsonSerializer.Serialize(_writer!, entry, ToolJsonContext.Readable.RejectEntry);
        _writer!.Flush();
        _writer.Reset();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
    }
}
