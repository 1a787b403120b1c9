using System.Text;
using SafeStream.Migrate.Cli;
using SafeStream.Migrate.Verify;
using SafeStream.Storage.Database;
using SafeStream.Storage.Jsonl;
using SafeStream.Storage.Model;

namespace SafeStream.Migrate.Export;

/// <summary>What a rollback export wrote back into the legacy files.</summary>
internal sealed record ExportSummary(long Users, long Chat, long Gifts, long AdminActions, string UsersFile, string LogFile);

/// <summary>
/// The way back to files after DatabaseFirst: every record only the database holds (registrations, chat, gifts and
/// moderator actions written while the database was first) is written into the legacy files in the legacy formats,
/// events with their ids, so a later import recognises them and inserts nothing twice.
/// </summary>
internal sealed class Exporter(ToolSettings settings, DbStore store, TimeProvider time, string scratchFolder)
{
    public async Task<ExportSummary> RunAsync(CancellationToken cancellationToken)
    {
        var usersPath = Path.GetFullPath(settings.Storage.ResolvedUsersFile);
        var fileUsers = UsersFile.Load(usersPath);
        var added = new List<User>();
        await foreach (var user in store.StreamUsersAsync(cancellationToken))
        {
            if (!fileUsers.ContainsKey(user.Username))
            {
                added.Add(user);
            }
        }

        if (added.Count > 0)
        {
            // Atomic replacement: a crash leaves the old file or the new one, never a torn users.json.
            UsersFile.Save(usersPath, [.. fileUsers.Values, .. added]);
        }

        using var scratch = new ScratchIndex(scratchFolder);
        // The file store reads the logs, never the journal: a journalled event is exported into the logs too.
        FileRecords.Load(settings, scratch, includeJournal: false, cancellationToken);
        scratch.Seal();
        var logPath = Path.Combine(Path.GetFullPath(settings.Storage.ResolvedLogsPath), LogFiles.NameFor(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
        var counts = new long[3];
        using (var log = OpenForAppend(logPath))
        {
            foreach (var kind in Enum.GetValues<EventKind>())
            {
                await foreach (var (e, sourceKey) in store.StreamEventsAsync(kind, cancellationToken))
                {
                    if (!scratch.HasFileRecord((int)kind, RecordContent.Key(e.Id, sourceKey)))
                    {
                        log.Write(Encoding.UTF8.GetBytes(LegacyLines.Format(e) + "\n"));
                        counts[(int)kind]++;
                    }
                }
            }

            log.Flush(flushToDisk: true);
        }

        if (counts.Sum() == 0 && new FileInfo(logPath).Length == 0)
        {
            File.Delete(logPath);
        }

        return new ExportSummary(added.Count, counts[0], counts[1], counts[2], usersPath, logPath);
    }

    // A last line torn by a crash is closed first, so the first exported line is not glued to it.
    private static FileStream OpenForAppend(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            var last = stream.ReadByte();
            if (last != '\n')
            {
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Seek(0, SeekOrigin.End);
        return stream;
    }
}
