using System.Security.Cryptography;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Verify;

/// <summary>The SQL that compares one kind of event in the scratch index: counts, digests, and the first findings.</summary>
internal static class EventComparison
{
    private const string Missing = "NOT EXISTS (SELECT 1 FROM db d WHERE d.kind = f.kind AND d.key = f.key)";
    private const string Orphan = "NOT EXISTS (SELECT 1 FROM files f WHERE f.kind = d.kind AND f.key = d.key)";

    public static KindComparison Compare(ScratchIndex scratch, EventKind kind, int show, List<Finding> differences, List<Finding> databaseOnly)
    {
        var k = (int)kind;
        var name = Name(kind);
        var missing = scratch.Count($"SELECT count(*) FROM files f WHERE f.kind = $kind AND {Missing}", k);
        var different = scratch.Count("SELECT count(*) FROM files f JOIN db d ON d.kind = f.kind AND d.key = f.key WHERE f.kind = $kind AND d.content <> f.content", k);
        var duplicates = scratch.Count("SELECT count(*) - count(DISTINCT key) FROM files WHERE kind = $kind", k);
        var orphans = scratch.Count($"SELECT count(*) FROM db d WHERE d.kind = $kind AND {Orphan}", k);

        if (missing > 0)
        {
            differences.AddRange(FileFindings(scratch, name, "missing_from_database", $"SELECT p.path, f.line, f.id FROM files f JOIN paths p ON p.id = f.path WHERE f.kind = $kind AND {Missing} ORDER BY f.rowid LIMIT $show", k, show));
        }

        if (different > 0)
        {
            differences.AddRange(FileFindings(scratch, name, "different", "SELECT p.path, f.line, d.id FROM files f JOIN db d ON d.kind = f.kind AND d.key = f.key JOIN paths p ON p.id = f.path WHERE f.kind = $kind AND d.content <> f.content ORDER BY f.rowid LIMIT $show", k, show));
        }

        if (duplicates > 0)
        {
            differences.AddRange(FileFindings(scratch, name, "duplicate_key", "SELECT p.path, f.line, f.id FROM files f JOIN paths p ON p.id = f.path WHERE f.kind = $kind AND EXISTS (SELECT 1 FROM files g WHERE g.kind = f.kind AND g.key = f.key AND g.rowid < f.rowid) ORDER BY f.rowid LIMIT $show", k, show));
        }

        if (orphans > 0)
        {
            using var query = scratch.Query($"SELECT d.id FROM db d WHERE d.kind = $kind AND {Orphan} ORDER BY d.id LIMIT $show", ("$kind", k), ("$show", show));
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                databaseOnly.Add(new Finding(name, "database_only", null, null, reader.GetInt64(0), null));
            }
        }

        var inFiles = scratch.Count("SELECT count(*) FROM files WHERE kind = $kind", k);
        return new KindComparison(
            name,
            inFiles,
            scratch.Count("SELECT count(*) FROM db WHERE kind = $kind", k),
            inFiles - missing - different,
            missing,
            different,
            orphans,
            0,
            duplicates,
            Digest(scratch, "SELECT content FROM files WHERE kind = $kind ORDER BY key", k),
            Digest(scratch, $"SELECT content FROM db d WHERE kind = $kind AND NOT {Orphan} ORDER BY key", k));
    }

    public static string Name(EventKind kind) => kind switch
    {
        EventKind.Chat => "chat",
        EventKind.Gift => "gifts",
        _ => "admin_actions",
    };

    private static List<Finding> FileFindings(ScratchIndex scratch, string kind, string problem, string sql, int k, int show)
    {
        using var query = scratch.Query(sql, ("$kind", k), ("$show", show));
        using var reader = query.ExecuteReader();
        var findings = new List<Finding>();
        while (reader.Read())
        {
            findings.Add(new Finding(kind, problem, reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), null));
        }

        return findings;
    }

    private static string Digest(ScratchIndex scratch, string sql, int k)
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var query = scratch.Query(sql, ("$kind", k));
        using var reader = query.ExecuteReader();
        var content = new byte[RecordContent.HashLength];
        while (reader.Read())
        {
            reader.GetBytes(0, 0, content, 0, content.Length);
            digest.AppendData(content);
        }

        return Convert.ToHexStringLower(digest.GetHashAndReset());
    }
}
