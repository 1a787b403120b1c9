using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Data.Sqlite;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Tests.Support;

namespace SafeStream.Migrate.Tests.Import;

/// <summary>
/// Generated hostile legacy files through the real import (the tool in-process on a real SQLite file, a fresh folder
/// per case): every line is stored or rejected with its reason, never both and never neither; every well-formed
/// record is stored; the tool answers a documented exit code and never throws; <c>verify</c> is clean afterwards.
/// A few thousand lines in a handful of runs; CsCheck shrinks a failure to its smallest case and prints its seed.
/// </summary>
public sealed class ImportProperties
{
    [Fact]
    public async Task EveryGeneratedLogLineIsStoredOrRejectedWithItsReasonNeverBothNeverNeither() =>
        await Gen.Select(HostileLegacy.Line.Array[100, 250].Array[1, 3], Gen.Bool)
            .SampleAsync(ImportLogsAsync, iter: 6, threads: 1, print: c => Show(c.Item1, c.Item2));

    [Fact]
    public async Task EveryGeneratedUsersJsonAccountIsImportedOrRejectedWithItsReasonOrTheFileIsRefusedByName() =>
        await HostileUsers.Document.SampleAsync(ImportUsersAsync, iter: 30, threads: 1);

    private static async Task ImportLogsAsync(GeneratedLine[][] files, bool lastLineCut)
    {
        using var dir = new TempFolder();
        var tool = new Tool(dir);
        var paths = new List<string>();
        for (var i = 0; i < files.Length; i++)
        {
            paths.Add(Path.Combine(tool.Logs, $"chat_2025-01-{i + 1:D2}.jsonl"));
            var cut = lastLineCut && i == files.Length - 1;
            Directory.CreateDirectory(tool.Logs);
            File.WriteAllBytes(paths[i], [.. files[i].SelectMany((line, n) => cut && n == files[i].Length - 1 ? line.Bytes : [.. line.Bytes, (byte)'\n'])]);
        }

        var import = await tool.RunAsync("import", "--json");
        var verify = await tool.RunAsync("verify", "--json", "--scratch", dir["scratch"]);

        var rejects = Rejects(import);
        Assert.Equal(rejects.Count > 0 ? ExitCodes.Rejected : ExitCodes.Ok, import.ExitCode);
        Assert.Equal(rejects.Count, import.Json.GetProperty("rejected").GetInt64());
        Assert.All(rejects, r => Assert.False(string.IsNullOrWhiteSpace(r.Reason), $"no reason for {r.File}:{r.Line}"));
        var rejected = rejects.GroupBy(r => Convert.ToHexString(SHA256.HashData(files[paths.IndexOf(r.File)][r.Line - 1].Bytes))).ToDictionary(g => g.Key, g => g.Count());
        var stored = StoredKeys(tool.Database);
        foreach (var (content, lines) in files.SelectMany(f => f).GroupBy(l => Convert.ToHexString(SHA256.HashData(l.Bytes))).Select(g => (g.Key, g.ToList())))
        {
            var prefix = content[..48];
            var storedOccurrences = Enumerable.Range(0, lines.Count).Count(n => stored.Remove($"{prefix}{n:X8}"));
            var rejectedCount = rejected.GetValueOrDefault(content);
            var outcome = $"{lines[0]}: {lines.Count} line(s), {storedOccurrences} stored, {rejectedCount} rejected";
            Assert.True((storedOccurrences, rejectedCount) == (lines.Count, 0) || (storedOccurrences, rejectedCount) == (0, lines.Count), outcome);
            Assert.True(!lines[0].MustStore || storedOccurrences == lines.Count, $"a well-formed record was not stored: {outcome}");
        }

        Assert.Empty(stored); // nothing stored that no line holds
        Assert.True(verify.ExitCode == ExitCodes.Ok, verify.Output);
    }

    private static async Task ImportUsersAsync(GeneratedUsers users)
    {
        using var dir = new TempFolder();
        var tool = new Tool(dir);
        var usersFile = Path.Combine(tool.Legacy, "users.json");
        Directory.CreateDirectory(tool.Logs);
        File.WriteAllBytes(usersFile, users.Bytes);
        File.WriteAllText(Path.Combine(tool.Logs, "chat_2025-01-01.jsonl"), """{"type":"chat","user":"alice","message":"hi","toxic":false,"score":0.0,"ts":"2025-01-01T00:00:00Z"}""" + "\n");

        var import = await tool.RunAsync("import", "--json");

        if (import.ExitCode == ExitCodes.Failed)
        {
            Assert.False(users.MustImportAll, $"a well-formed users.json was refused: {import.Output}");
            Assert.Contains(usersFile, import.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(tool.Database), "the database was touched before users.json was read");
            return;
        }

        var names = Keys(users.Bytes);
        var rejects = Rejects(import);
        Assert.Equal(rejects.Count > 0 ? ExitCodes.Rejected : ExitCodes.Ok, import.ExitCode);
        Assert.All(rejects, r => Assert.Equal((usersFile, 0L), (r.File, r.Line)));
        var rejected = rejects.Select(r => r.Raw!).ToHashSet(StringComparer.Ordinal);
        var stored = Column(tool.Database, "SELECT username FROM users").ToHashSet(StringComparer.Ordinal);
        Assert.Empty(rejected.Intersect(stored));
        Assert.Equal(names.Order(StringComparer.Ordinal), rejected.Union(stored).Order(StringComparer.Ordinal));
        Assert.True(!users.MustImportAll || rejected.Count == 0, $"a printable name was rejected: {string.Join(", ", rejected)}");
        var verify = await tool.RunAsync("verify", "--json", "--scratch", dir["scratch"]);
        Assert.True(verify.ExitCode == ExitCodes.Ok, verify.Output);
    }

    private static List<(string File, long Line, string Reason, string? Raw)> Rejects(ToolResult import)
    {
        var path = import.Json.GetProperty("rejects_file").GetString();
        return path is null ? [] : [.. File.ReadLines(path).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            return (e.GetProperty("file").GetString()!, e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!, e.TryGetProperty("raw", out var raw) ? raw.GetString() : null);
        })];
    }

    /// <summary>Every stored source key without its time prefix: the line's hash (24 bytes) and its occurrence number.</summary>
    private static HashSet<string> StoredKeys(string database)
    {
        var keys = Column(database, "SELECT hex(source_key) FROM chat_messages UNION ALL SELECT hex(source_key) FROM gifts UNION ALL SELECT hex(source_key) FROM admin_actions");
        Assert.All(keys, k => Assert.Equal(72, k.Length)); // every row came from a legacy line, none by id
        return keys.Select(k => k[16..]).ToHashSet(StringComparer.Ordinal);
    }

    private static List<string> Column(string database, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return values;
    }

    private static List<string> Keys(byte[] usersJson)
    {
        using var doc = JsonDocument.Parse(usersJson);
        return [.. doc.RootElement.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal)];
    }

    private static string Show(GeneratedLine[][] files, bool lastLineCut) =>
        $"last line cut: {lastLineCut}\n" + string.Join("\n--- next file\n", files.Select(f => string.Join('\n', f.Select(l => l.ToString()))));
}
