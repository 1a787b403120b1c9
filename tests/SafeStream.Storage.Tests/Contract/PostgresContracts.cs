namespace SafeStream.Storage.Tests.Contract;

// The same contract on a real PostgreSQL 15, in every mode that uses a database: one database per class, emptied
// before each test.

public sealed class PostgresDbStoreContract(PostgresDatabase db) : StorageContract, IClassFixture<PostgresDatabase>
{
    protected override async Task<IStorage> CreateAsync()
    {
        await db.ResetAsync();
        return Stores.Database(Patient(db.Options(Stores.Options(Dir))));
    }
}

public sealed class PostgresDualWriteRouterContract(PostgresDatabase db) : StorageContract, IClassFixture<PostgresDatabase>
{
    protected override bool DeduplicatesIds => false;

    protected override async Task<IStorage> CreateAsync()
    {
        await db.ResetAsync();
        return Stores.Router(Patient(db.Options(Stores.Options(Dir, StorageMode.DualWrite))));
    }
}

public sealed class PostgresDatabaseFirstRouterContract(PostgresDatabase db) : StorageContract, IClassFixture<PostgresDatabase>
{
    protected override async Task<IStorage> CreateAsync()
    {
        await db.ResetAsync();
        return Stores.Router(Patient(db.Options(Stores.Options(Dir, StorageMode.DatabaseFirst))));
    }
}

public sealed class PostgresDatabaseOnlyRouterContract(PostgresDatabase db) : StorageContract, IClassFixture<PostgresDatabase>
{
    protected override async Task<IStorage> CreateAsync()
    {
        await db.ResetAsync();
        return Stores.Router(Patient(db.Options(Stores.Options(Dir, StorageMode.DatabaseOnly))));
    }
}

/// <summary>DatabaseFirst on PostgreSQL with its database refusing connections: every call is answered from the files and the journal.</summary>
public sealed class PostgresDatabaseFirstDuringOutageContract(PostgresDatabase db) : StorageContract, IClassFixture<PostgresDatabase>
{
    protected override bool DeduplicatesIds => false;

    protected override async Task<IStorage> CreateAsync()
    {
        await db.ComeBackAsync();
        await db.ResetAsync();
        var router = Stores.Router(db.Options(Stores.Options(Dir, StorageMode.DatabaseFirst)));
        await router.Replayer.WarmUpAsync(Ct);
        await db.GoAwayAsync();
        return router;
    }

    [Fact]
    public async Task TheFixtureReallyIsAnOutage()
    {
        await Storage.AppendAsync([Events.Chat("alice", "spilled")], Ct);
        await Storage.RecentMessagesAsync(new Model.MessageQuery(), Ct);

        var status = ((IStorageStatus)Storage).Current;
        Assert.Equal(1, status.JournalBacklog);
        Assert.True(status.ReadingFromFiles);
        Assert.Equal(DatabaseProvider.PostgreSQL, status.Provider);
    }
}
