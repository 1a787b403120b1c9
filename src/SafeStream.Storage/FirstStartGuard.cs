using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage;

/// <summary>
/// Step 0 of MIGRATION.md, enforced: a deployment with legacy files and no database yet is one that has not chosen its
/// path. Started in a database mode (the shipped default is DatabaseFirst) it would skip DualWrite, the step that
/// proves the database against the files; so it refuses to start until the operator says which path they take
/// (<c>Storage:StartWithoutImport</c>). A server's start only: the tools read those files on purpose, and a mode
/// changed while the service runs is MIGRATION.md's step 1 itself (JsonlOnly to DualWrite over the legacy files, the
/// database made then), so the options a reload brings are not checked again.
/// </summary>
internal sealed class FirstStartGuard : IValidateOptions<StorageOptions>
{
    private const string AcceptKey = $"{StorageOptions.SectionName}:{nameof(StorageOptions.StartWithoutImport)}";
    private int _checked;

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (Interlocked.Exchange(ref _checked, 1) == 1)
        {
            return ValidateOptionsResult.Success; // the start was checked; this is a reload
        }

        // On PostgreSQL "no database yet" cannot be told without connecting, which a settings check must not do; an
        // operator who points the service at a database server has chosen a path already.
        if (options.Mode == StorageMode.JsonlOnly || options.StartWithoutImport || options.LegacyRetired || options.Provider != DatabaseProvider.Sqlite)
        {
            return ValidateOptionsResult.Success;
        }

        string database;
        try
        {
            database = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Success; // the connection string's own check names the problem
        }

        var legacy = new List<string>();
        if (File.Exists(options.ResolvedUsersFile))
        {
            legacy.Add(options.ResolvedUsersFile);
        }

        legacy.AddRange(LogFiles.OldestFirst(options.ResolvedLogsPath).Take(3));
        if (legacy.Count == 0 || File.Exists(database) || database is "" or ":memory:")
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"Storage:Mode is {options.Mode}, legacy files are present ({string.Join(", ", legacy)}) and there is no database yet ({database}). "
            + "Say which path you take (MIGRATION.md): start in JsonlOnly (Storage:Mode=JsonlOnly, step 0) and move to DualWrite from there; "
            + $"or, to run in {options.Mode} from the start and import the history later, set {AcceptKey}=true.");
    }
}
