using Microsoft.Extensions.Options;
using SafeStream.Storage.Journal;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage;

/// <summary>
/// Phase F: once the legacy files were verified and archived, <c>Storage:LegacyRetired=true</c> makes the service
/// refuse to start while legacy file settings or files reappear, naming what it found: nothing may quietly write
/// to, or read from, files that are no longer part of the system.
/// </summary>
internal sealed class LegacyRetirement : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.LegacyRetired)
        {
            return ValidateOptionsResult.Success;
        }

        var problems = new List<string>();
        if (options.Mode != StorageMode.DatabaseOnly)
        {
            problems.Add($"Storage:LegacyRetired=true requires Storage:Mode=DatabaseOnly (it is {options.Mode})");
        }

        foreach (var (key, value) in new[] { ("Storage:UsersFile (or SAFESTREAM_USERS_FILE)", options.UsersFile), ("Storage:LogsPath", options.LogsPath), ("Storage:JournalPath", options.JournalPath) })
        {
            if (value is not null)
            {
                problems.Add($"{key} is still configured ({value})");
            }
        }

        problems.AddRange(FilesPresent(options).Select(file => $"legacy file still present: {file}"));
        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Storage:LegacyRetired is true but {string.Join("; ", problems)}. Archive the files with `scripts/migrate.sh archive`, or set Storage:LegacyRetired=false.");
    }

    /// <summary>The legacy files under the configured paths: users.json, chat logs, journal segments.</summary>
    public static IReadOnlyList<string> FilesPresent(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = new List<string>();
        if (File.Exists(options.ResolvedUsersFile))
        {
            files.Add(options.ResolvedUsersFile);
        }

        files.AddRange(LogFiles.OldestFirst(options.ResolvedLogsPath));
        files.AddRange(JournalFiles.Segments(options.ResolvedJournalPath));
        return files;
    }
}
