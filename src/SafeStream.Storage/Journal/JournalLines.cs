using System.Text;
using System.Text.Json;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Journal;

/// <summary>
/// Journal lines: events in the legacy line format with their <c>id</c> (a legacy reader can read a journal), and
/// the other writes as <c>user</c>, <c>user_patch</c> and <c>setting</c> lines.
/// </summary>
internal static class JournalLines
{
    public const string EventWithoutId = "an event in the journal has no id";

    public static IEnumerable<string> Format(WriteOp op) => op switch
    {
        AppendEvents a => a.Events.Select(LegacyLines.Format),
        CreateUser c => [Serialize(ToDto(c.User))],
        PatchUser p => [Serialize(new JournalDto
        {
            Type = "user_patch",
            Username = p.Username,
            IsAdmin = p.Patch.IsAdmin,
            IsActive = p.Patch.IsActive,
            MutedUntil = p.Patch.MutedUntil,
            TokensValidAfter = p.Patch.TokensValidAfter,
            HashedPassword = p.Patch.PasswordHash,
            At = p.At,
        })],
        PutSetting s => [Serialize(new JournalDto { Type = "setting", Key = s.Key, Value = s.Value, At = s.At })],
        _ => throw new ArgumentException($"Unknown write {op.GetType().Name}.", nameof(op)),
    };

    /// <summary>The write a line holds, or the reason it holds none.</summary>
    public static (WriteOp? Op, string? Error) Parse(ReadOnlySpan<byte> line)
    {
        // Almost every journal line is an event, so those are tried first.
        var parsed = LegacyLines.Parse(line);
        if (parsed.Event is { } e)
        {
            return e.Id == 0 ? (null, EventWithoutId) : (new AppendEvents([e]), null);
        }

        JournalDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalDto);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, ex.Message);
        }

        return dto?.Type switch
        {
            "user" when dto.Username is not null && dto.HashedPassword is not null => (new CreateUser(new User
            {
                Username = dto.Username,
                Email = dto.Email,
                PasswordHash = dto.HashedPassword,
                IsActive = dto.IsActive ?? true,
                IsAdmin = dto.IsAdmin ?? false,
                MutedUntil = dto.MutedUntil,
                TokensValidAfter = dto.TokensValidAfter,
                CreatedAt = dto.CreatedAt ?? DateTimeOffset.UnixEpoch,
                UpdatedAt = dto.UpdatedAt ?? DateTimeOffset.UnixEpoch,
            }), null),
            "user_patch" when dto.Username is not null && dto.At is { } at => (new PatchUser(
                dto.Username,
                new UserPatch { IsAdmin = dto.IsAdmin, IsActive = dto.IsActive, MutedUntil = dto.MutedUntil, TokensValidAfter = dto.TokensValidAfter, PasswordHash = dto.HashedPassword },
                at), null),
            // A setting journalled before settings carried their time is older than any change stamped since.
            "setting" when dto.Key is not null && dto.Value is not null => (new PutSetting(dto.Key, dto.Value, dto.At ?? DateTimeOffset.UnixEpoch), null),
            "user" or "user_patch" or "setting" => (null, $"a {dto.Type} line lacks a required field"),
            _ => (null, parsed.Error),
        };
    }

    private static JournalDto ToDto(User u) => new()
    {
        Type = "user",
        Username = u.Username,
        Email = u.Email,
        HashedPassword = u.PasswordHash,
        IsActive = u.IsActive,
        IsAdmin = u.IsAdmin,
        MutedUntil = u.MutedUntil,
        TokensValidAfter = u.TokensValidAfter,
        CreatedAt = u.CreatedAt,
        UpdatedAt = u.UpdatedAt,
    };

    private static string Serialize(JournalDto dto) =>
        Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(dto, JournalJsonContext.Default.JournalDto));
}
