using System.Text.Json;
using System.Text.Json.Serialization;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Journal;

/// <summary>The checkpoint: where replay resumes, and how many records of its segment lie before it.</summary>
internal sealed record Checkpoint(JournalPosition Position, long LinesBefore)
{
    public const string FileName = "checkpoint.json";

    public static readonly Checkpoint Start = new(new JournalPosition(0, 0), 0);

    public long Segment => Position.Segment;

    public long Offset => Position.Offset;

    /// <summary>Whether <paramref name="directory"/> holds a checkpoint (so a database was used with it before).</summary>
    public static bool ExistsIn(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>The checkpoint of <paramref name="directory"/>, or <see cref="Start"/> when there is none.</summary>
    public static Checkpoint Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return Start;
        }

        try
        {
            var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), CheckpointJsonContext.Default.CheckpointDto)
                ?? throw new CorruptFileException(path, "null checkpoint");
            var position = new JournalPosition(dto.Segment, dto.Offset);

            // A checkpoint written before it counted lines: count the replayed ones in its segment once.
            return new Checkpoint(position, dto.Lines ?? SegmentLines.Count(SegmentFiles.PathOf(directory, dto.Segment), 0, dto.Offset).Lines);
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not a journal checkpoint ({ex.Message})", ex);
        }
    }

    /// <summary>Replaces the checkpoint file atomically: a crash leaves the old one or this one.</summary>
    public void SaveIn(string directory) =>
        AtomicFile.Write(
            Path.Combine(directory, FileName),
            JsonSerializer.SerializeToUtf8Bytes(new CheckpointDto { Segment = Segment, Offset = Offset, Lines = LinesBefore }, CheckpointJsonContext.Default.CheckpointDto));
}

internal sealed class CheckpointDto
{
    [JsonPropertyName("segment")]
    public long Segment { get; set; }

    [JsonPropertyName("offset")]
    public long Offset { get; set; }

    [JsonPropertyName("lines")]
    public long? Lines { get; set; }
}

[JsonSerializable(typeof(CheckpointDto))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
