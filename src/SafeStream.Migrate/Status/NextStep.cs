using SafeStream.Storage;

namespace SafeStream.Migrate.Status;

/// <summary>The runbook's decision table (MIGRATION.md) in code: given where things stand, the next step.</summary>
internal static class NextStep
{
    public static string Phase(StorageMode mode, bool retired) => (mode, retired) switch
    {
        (StorageMode.JsonlOnly, _) => "legacy files only (before phase A)",
        (StorageMode.DualWrite, _) => "dual write (plan step 2): files are the source of truth",
        (StorageMode.DatabaseFirst, _) => "database first (phase D)",
        (StorageMode.DatabaseOnly, false) => "database only (phase E)",
        _ => "database only, legacy retired (phase F)",
    };

    public static string For(StorageMode mode, bool retired, bool databaseExists, long backlog, bool filesPresent) => mode switch
    {
        StorageMode.JsonlOnly =>
            "set Storage:Mode=DualWrite so new records reach the database too, then run `scripts/migrate.sh import`",
        StorageMode.DualWrite when !databaseExists =>
            "run `scripts/migrate.sh import` to bring the history into the database",
        StorageMode.DualWrite =>
            "run `scripts/migrate.sh import` then `scripts/migrate.sh verify`; once clean, set Storage:Mode=DatabaseFirst",
        StorageMode.DatabaseFirst when backlog > 0 =>
            "the server is replaying its journal: wait until /healthz shows an empty backlog (status again), then run import and verify",
        StorageMode.DatabaseFirst when filesPresent =>
            "run `scripts/migrate.sh import` (it picks up the last file writes) then `scripts/migrate.sh verify`; once clean, set Storage:Mode=DatabaseOnly",
        StorageMode.DatabaseFirst =>
            "no legacy files: set Storage:Mode=DatabaseOnly",
        StorageMode.DatabaseOnly when !retired && filesPresent =>
            "phase F: run `scripts/migrate.sh archive` (it verifies first, then packs and removes the legacy files)",
        StorageMode.DatabaseOnly when !retired =>
            "set Storage:LegacyRetired=true and remove any Storage:UsersFile/LogsPath/JournalPath settings, then restart",
        StorageMode.DatabaseOnly when filesPresent =>
            "Storage:LegacyRetired is true but legacy files exist, so the server refuses to start: run `scripts/migrate.sh archive`, or set LegacyRetired=false",
        _ => "nothing: the migration is complete",
    };
}
