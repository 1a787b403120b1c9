namespace SafeStream.Migrate.Import;

/// <summary>What to do with an account whose password hash differs between users.json and the database.</summary>
internal enum ConflictPolicy
{
    /// <summary>Report it and change nothing (the default: a person decides).</summary>
    Report,

    /// <summary>The database's hash stands; the decision is recorded so verify accepts it.</summary>
    KeepDatabase,

    /// <summary>The file's hash replaces the database's.</summary>
    TakeFile,
}

/// <summary>Where a settled conflict is remembered: a setting naming the user, holding the file hash that lost.</summary>
internal static class ConflictRecord
{
    public static string Key(string username) => "migrate.kept_database_hash:" + username;
}
