using System.Text;
using System.Text.Json;
using SafeStream.Storage.Model;

namespace SafeStream.Storage.Jsonl;

/// <summary>
/// <c>users.json</c>: one object keyed by username, written as the legacy server wrote it (2-space indent,
/// <c>\u</c> escapes, no trailing newline) plus our fields only when set. Written atomically (temp file, fsync,
/// rename, fsync of the folder); a file that does not parse is an error naming the file, never "no users".
/// </summary>
public static class UsersFile
{
    /// <summary>The users in the file; an absent file holds none. Throws <see cref="CorruptFileException"/> otherwise.</summary>
    public static Dictionary<string, User> Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return new Dictionary<string, User>(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            return new Dictionary<string, User>(StringComparer.Ordinal);
        }

        if (bytes.Length == 0)
        {
            throw new CorruptFileException(path, "the file is empty (a users file is at least {}); was a write cut short?");
        }

        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CorruptFileException(path, $"the top level is a {doc.RootElement.ValueKind}, not an object keyed by username");
            }

            var users = new Dictionary<string, User>(StringComparer.Ordinal);
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                users[entry.Name] = ReadUser(path, entry);
            }

            return users;
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not valid JSON ({ex.Message})", ex);
        }
        catch (InvalidOperationException ex)
        {
            // A name or value escaping a lone surrogate ("\udfff") parses as JSON but is no string .NET can hold.
            throw new CorruptFileException(path, $"a name or value is not valid text ({ex.Message})", ex);
        }
    }

    /// <summary>The lock file beside <paramref name="usersPath"/> that every process holds while it changes the users file.</summary>
    public static string LockPath(string usersPath) => usersPath + ".lock";

    /// <summary>Replaces the file with <paramref name="users"/> so that a crash leaves either the old or the new file.</summary>
    public static void Save(string path, IEnumerable<User> users) => AtomicFile.Write(path, Encoding.UTF8.GetBytes(Format(users)));

    public static string Format(IEnumerable<User> users)
    {
        var sb = new StringBuilder();
        var first = true;
        sb.Append('{');
        foreach (var u in users)
        {
            sb.Append(first ? "\n  " : ",\n  ");
            first = false;
            PythonJson.WriteString(sb, u.Username, ensureAscii: true);
            sb.Append(": {\n    \"username\": ");
            PythonJson.WriteString(sb, u.Username, ensureAscii: true);
            sb.Append(",\n    \"email\": ");
            if (u.Email is null)
            {
                sb.Append("null");
            }
            else
            {
                PythonJson.WriteString(sb, u.Email, ensureAscii: true);
            }

            sb.Append(",\n    \"disabled\": ").Append(u.IsActive ? "false" : "true");
            sb.Append(",\n    \"hashed_password\": ");
            PythonJson.WriteString(sb, u.PasswordHash, ensureAscii: true);
            if (u.IsAdmin)
            {
                sb.Append(",\n    \"is_admin\": true");
            }

            AppendTime(sb, "muted_until", u.MutedUntil);
            AppendTime(sb, "tokens_valid_after", u.TokensValidAfter);
            AppendTime(sb, "created_at", u.CreatedAt == DateTimeOffset.UnixEpoch ? null : u.CreatedAt);
            AppendTime(sb, "updated_at", u.UpdatedAt == DateTimeOffset.UnixEpoch ? null : u.UpdatedAt);
            sb.Append("\n  }");
        }

        return sb.Append(first ? "}" : "\n}").ToString();
    }

    private static User ReadUser(string path, JsonProperty entry)
    {
        var value = entry.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CorruptFileException(path, $"user '{entry.Name}' is a {value.ValueKind}, not an object");
        }

        if (!value.TryGetProperty("hashed_password", out var hash) || hash.ValueKind != JsonValueKind.String)
        {
            throw new CorruptFileException(path, $"user '{entry.Name}' has no hashed_password string");
        }

        // Legacy lookups use the map key; the key is the username.
        return new User
        {
            Username = entry.Name,
            Email = value.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String ? email.GetString() : null,
            PasswordHash = hash.GetString()!,
            IsActive = !(value.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.True),
            IsAdmin = value.TryGetProperty("is_admin", out var admin) && admin.ValueKind == JsonValueKind.True,
            MutedUntil = ReadTime(path, entry.Name, value, "muted_until"),
            TokensValidAfter = ReadTime(path, entry.Name, value, "tokens_valid_after"),
            CreatedAt = ReadTime(path, entry.Name, value, "created_at") ?? DateTimeOffset.UnixEpoch,
            UpdatedAt = ReadTime(path, entry.Name, value, "updated_at") ?? DateTimeOffset.UnixEpoch,
        };
    }

    private static DateTimeOffset? ReadTime(string path, string user, JsonElement value, string name)
    {
        if (!value.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String && LegacyTimestamp.TryParse(element.GetString(), out var time)
            ? Micros.Truncate(time)
            : throw new CorruptFileException(path, $"user '{user}' has {name} {element.GetRawText()}, not a timestamp");
    }

    private static void AppendTime(StringBuilder sb, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            sb.Append(",\n    \"").Append(name).Append("\": \"").Append(PythonJson.FormatTimestamp(time)).Append('"');
        }
    }
}
