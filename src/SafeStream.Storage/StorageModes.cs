namespace SafeStream.Storage;

/// <summary>The feature flag <c>Storage:Mode</c>: where writes go and where reads come from (see docs/ARCHITECTURE.md).</summary>
public enum StorageMode
{
    /// <summary>Legacy files only (before phase A).</summary>
    JsonlOnly,

    /// <summary>Files and database; reads from files, the database read in shadow.</summary>
    DualWrite,

    /// <summary>Database, falling back to the files on an outage and replaying later (phase D).</summary>
    DatabaseFirst,

    /// <summary>Database only; a failure reaches the caller (phases E and F).</summary>
    DatabaseOnly,
}

/// <summary>The database engine behind <c>Storage:ConnectionString</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the service (the embedded default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: the production store, and the one several instances can share.</summary>
    PostgreSQL,
}

/// <summary>When appended lines are forced to disk (they are always flushed to the OS before an append completes).</summary>
public enum FsyncPolicy
{
    /// <summary>fsync before every append completes (concurrent appends share one fsync).</summary>
    EveryWrite,

    /// <summary>fsync at most every <see cref="StorageOptions.FsyncIntervalMs"/>: survives a process crash, may lose that window on power loss.</summary>
    Interval,
}

/// <summary>SQLite's <c>synchronous</c> pragma for the writer. Normal (with WAL) survives a process crash; Full also survives power loss.</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}

/// <summary>Whether a store may create its database when it finds none.</summary>
public enum DatabaseCreation
{
    /// <summary>Never: a missing database is an error (the tools that read, and one-off commands).</summary>
    Never,

    /// <summary>Only on a first start (see <see cref="FirstStart"/>): the server, and the first import.</summary>
    OnFirstStart,

    /// <summary>Whenever it is missing: the target of <c>copy-database</c>, which is new by intent.</summary>
    Always,
}

/// <summary>What a process using the storage is: a server (owns its journal, may create the database on a first start) or a one-off tool.</summary>
public enum StorageRole
{
    Server,
    Tool,
}
