using System.Globalization;
using System.Text.RegularExpressions;

namespace SafeStream.Storage.Jsonl;

/// <summary>The legacy chat logs in a folder, oldest record first: dates ascending, and within a date <c>.10</c> … <c>.1</c> then the live file.</summary>
public static partial class LogFiles
{
    public const string Prefix = "chat_";

    public static IReadOnlyList<string> OldestFirst(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = new List<(DateOnly Date, int Backup, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory, Prefix + "*"))
        {
            var match = LogName().Match(System.IO.Path.GetFileName(path));
            if (!match.Success)
            {
                continue;
            }

            var date = DateOnly.ParseExact(match.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var backup = match.Groups["n"].Success ? int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture) : 0;
            files.Add((date, backup, path));
        }

        return [.. files.OrderBy(f => f.Date).ThenByDescending(f => f.Backup).Select(f => f.Path)];
    }

    public static string NameFor(DateOnly date) => $"{Prefix}{date:yyyy-MM-dd}.jsonl";

    [GeneratedRegex(@"^chat_(?<date>\d{4}-\d{2}-\d{2})\.jsonl(\.(?<n>[1-9][0-9]*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex LogName();
}
