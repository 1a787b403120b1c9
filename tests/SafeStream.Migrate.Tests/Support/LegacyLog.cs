using System.Text;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Tests.Support;

/// <summary>Legacy log lines written by the storage layer's formatter, which writes the legacy byte styles exactly.</summary>
public static class LegacyLog
{
    private static readonly DateTimeOffset Start = new(2025, 7, 1, 8, 0, 0, TimeSpan.Zero);

    public static ChatMessage Chat(int n, string user = "viewer") =>
        new(0, $"{user}{n % 97}", $"message {n} café ☕", n % 10 == 0, n % 10 == 0 ? 0.91 : 1.5e-06, false, Start.AddTicks(n * 13_000L));

    public static Gift Gift(int n) => new(0, $"José{n % 13}", n % 6, 1 + (n % 50), Start.AddTicks(n * 13_000L));

    public static void Append(string path, IEnumerable<StorageEvent> events)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, append: true, new UTF8Encoding(false));
        foreach (var e in events)
        {
            writer.Write(LegacyLines.Format(e));
            writer.Write('\n');
        }
    }

    /// <summary>The legacy rotation: <c>.N</c> becomes <c>.N+1</c>, the live file becomes <c>.1</c>.</summary>
    public static void Rotate(string logs, DateOnly date)
    {
        var live = Path.Combine(logs, LogFiles.NameFor(date));
        for (var n = 9; n >= 1; n--)
        {
            if (File.Exists($"{live}.{n}"))
            {
                File.Move($"{live}.{n}", $"{live}.{n + 1}");
            }
        }

        File.Move(live, live + ".1");
    }
}
