using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SafeStream.Storage;
using SafeStream.Storage.Jsonl;

namespace SafeStream.Server.Hosting;

/// <summary>
/// Step 0 of MIGRATION.md, enforced: a deployment with legacy files and no database yet is one that has not chosen its
/// path. Started in a database mode (the shipped default is DatabaseFirst) it would skip DualWrite, the step that
/// proves the database against the files; so it refuses to start until the operator says which path they take.
/// </summary>
public sealed class FirstStartGuard(IConfiguration configuration) : IValidateOptions<StorageOptions>
{

    /// <summary>The operator's word that a database mode over legacy files with no database yet is meant.</summary>
    public const string AcceptKey = "Storage:StartWithoutImport";

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == StorageMode.JsonlOnly || configuration.GetValue<bool>(AcceptKey) || options.LegacyRetired)
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
