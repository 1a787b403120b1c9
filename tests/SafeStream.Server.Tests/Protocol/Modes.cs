using SafeStream.Storage;

namespace SafeStream.Server.Tests.Protocol;

public sealed class JsonlOnlyProtocol : ProtocolSuite
{
    protected override StorageMode Mode => StorageMode.JsonlOnly;
}

public sealed class DualWriteProtocol : ProtocolSuite
{
    protected override StorageMode Mode => StorageMode.DualWrite;
}

public sealed class DatabaseFirstProtocol : ProtocolSuite
{
    protected override StorageMode Mode => StorageMode.DatabaseFirst;
}

public sealed class DatabaseOnlyProtocol : ProtocolSuite
{
    protected override StorageMode Mode => StorageMode.DatabaseOnly;

    protected override bool ReadsLegacyFiles => false;
}

// The same protocol on a real PostgreSQL 15, in every mode that uses a database (one database per class).

public sealed class PostgresDualWriteProtocol(PostgresDatabase db) : ProtocolSuite, IClassFixture<PostgresDatabase>
{
    protected override StorageMode Mode => StorageMode.DualWrite;

    protected override PostgresDatabase Postgres => db;
}

public sealed class PostgresDatabaseFirstProtocol(PostgresDatabase db) : ProtocolSuite, IClassFixture<PostgresDatabase>
{
    protected override StorageMode Mode => StorageMode.DatabaseFirst;

    protected override PostgresDatabase Postgres => db;
}

public sealed class PostgresDatabaseOnlyProtocol(PostgresDatabase db) : ProtocolSuite, IClassFixture<PostgresDatabase>
{
    protected override StorageMode Mode => StorageMode.DatabaseOnly;

    protected override bool ReadsLegacyFiles => false;

    protected override PostgresDatabase Postgres => db;
}
