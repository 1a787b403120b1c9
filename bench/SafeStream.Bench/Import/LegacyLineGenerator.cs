using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Bench.Import;

/// <summary>What was generated: lines and bytes written, records per kind, and the CSV files of the same rows.</summary>
internal sealed record GeneratedLogs(long Lines, long Bytes, int Files, long Chat, long Gifts, long AdminActions, long Malformed, string CsvFolder);

/// <summary>
/// Legacy chat logs as the legacy service left them, from a fixed seed: the legacy writers' two byte styles (the
/// storage layer's formatter reproduces them byte for byte), a realistic mix of kinds and sizes, non-ASCII names and
/// text, scores in exponent form, identical lines, a few malformed lines, and 10 MiB files named as the legacy
/// rotation names them (<c>.10</c> oldest … <c>.1</c>, then the live file; several dates). Alongside, the rows an
/// import inserts, as CSV for <c>sqlite3 .import</c>, with the same source keys.
/// </summary>
internal sealed class LegacyLineGenerator(int seed = 20250627)
{
    private const long MaxFileBytes = 10L * 1024 * 1024;
    private const int FilesPerDate = 11; // the live file and .1 … .10: more would have been deleted by rotation

    private static readonly string[] Users = [.. Enumerable.Range(0, 5000).Select(i => (i % 50) switch
    {
        0 => $"José{i}",
        1 => $"zoë_{i}",
        2 => $"李雷{i}",
        _ => $"viewer{i}",
    })];

    private static readonly string[] Words =
    [
        "hello", "stream", "nice", "play", "gg", "wow", "lol", "what", "a", "the", "is", "this", "great", "again", "please",
        "café", "über", "naïve", "日本語", "ok", "😀", "🔥", "☕", "\"quoted\"", "back\\slash", "<b>bold</b>", "tab\there",
    ];

    public GeneratedLogs Write(string logsFolder, string csvFolder, long lines)
    {
        Directory.CreateDirectory(logsFolder);
        Directory.CreateDirectory(csvFolder);
        var random = new Random(seed);
        var keys = new SourceKeys();
        using var csv = new CsvRows(csvFolder);
        var ts = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var date = DateOnly.FromDateTime(ts.UtcDateTime);
        var dateFiles = new List<string>();
        FileStream? file = null;
        long bytes = 0, chat = 0, gifts = 0, admin = 0, malformed = 0;
        var files = 0;
        byte[]? previous = null;
        for (long i = 0; i < lines; i++)
        {
            ts = ts.AddTicks(random.Next(0, 500_000)); // 0–50 ms apart
            byte[] line;
            StorageEvent? e = null;
            if (previous is not null && random.Next(1000) == 0)
            {
                line = previous; // the same message twice in one microsecond: two records
            }
            else if (random.Next(100_000) == 0)
            {
                line = Encoding.UTF8.GetBytes("{\"type\":\"chat\",\"user\":\"broken");
                malformed++;
            }
            else
            {
                e = Next(random, ts);
                line = Encoding.UTF8.GetBytes(LegacyLines.Format(e));
            }

            if (e is null && line == previous)
            {
                e = LegacyLines.Parse(line).Event;
            }

            var key = keys.Next(SHA256.HashData(line), e?.Ts);
            if (e is not null)
            {
                csv.Add(i + 1, key, e);
                if (e is ChatMessage)
                {
                    chat++;
                }
                else if (e is Gift)
                {
                    gifts++;
                }
                else
                {
                    admin++;
                }

                previous = line;
            }

            if (file is null || file.Length + line.Length + 1 > MaxFileBytes)
            {
                file?.Dispose();
                if (dateFiles.Count == FilesPerDate)
                {
                    Rename(logsFolder, date, dateFiles);
                    date = date.AddDays(1);
                }

                var path = Path.Combine(logsFolder, $"part-{date:yyyy-MM-dd}-{dateFiles.Count:D2}");
                dateFiles.Add(path);
                file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                files++;
            }

            file.Write(line);
            file.WriteByte((byte)'\n');
            bytes += line.Length + 1;
        }

        file?.Dispose();
        Rename(logsFolder, date, dateFiles);
        return new GeneratedLogs(lines, bytes, files, chat, gifts, admin, malformed, csvFolder);
    }

    private static StorageEvent Next(Random random, DateTimeOffset ts)
    {
        var kind = random.Next(100);
        if (kind < 88)
        {
            var text = new StringBuilder();
            var words = random.Next(1, random.Next(100) < 10 ? 60 : 15);
            for (var w = 0; w < words; w++)
            {
                text.Append(w == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
            }

            var score = random.Next(10) switch
            {
                0 => random.NextDouble() * 1e-5, // exponent form, e.g. 1.2e-06
                1 => 0.6 + (random.NextDouble() * 0.4),
                _ => Math.Round(random.NextDouble() * 0.5, random.Next(1, 16)),
            };
            return new ChatMessage(0, Users[random.Next(Users.Length)], text.ToString(), score >= 0.6, score, false, ts);
        }

        if (kind < 96)
        {
            return new Gift(0, Users[random.Next(Users.Length)], random.Next(0, 6), random.Next(1, 101), ts);
        }

        var action = random.Next(3) switch { 0 => "kick", 1 => "mute", _ => "reset_metrics" };
        return new AdminAction(0, Users[random.Next(50)], action, action == "reset_metrics" ? null : Users[random.Next(Users.Length)], null, ts);
    }

    // The legacy rotation's names: the newest file is live, older ones count up to .10.
    private static void Rename(string folder, DateOnly date, List<string> parts)
    {
        for (var j = 0; j < parts.Count; j++)
        {
            var backup = parts.Count - 1 - j;
            var name = LogFiles.NameFor(date) + (backup == 0 ? "" : "." + backup.ToString(CultureInfo.InvariantCulture));
            File.Move(parts[j], Path.Combine(folder, name));
        }

        parts.Clear();
    }
}
