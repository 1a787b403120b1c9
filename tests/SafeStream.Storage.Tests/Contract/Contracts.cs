namespace SafeStream.Storage.Tests.Contract;

public sealed class JsonlStoreContract : StorageContract
{
    protected override bool DeduplicatesIds => false;

    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Files(Stores.Options(Dir)));
}

public sealed class DbStoreContract : StorageContract
{
    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Database(Patient(Stores.Options(Dir))));
}

public sealed class JsonlOnlyRouterContract : StorageContract
{
    protected override bool DeduplicatesIds => false;

    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Router(Stores.Options(Dir, StorageMode.JsonlOnly)));
}

public sealed class DualWriteRouterContract : StorageContract
{
    protected override bool DeduplicatesIds => false;

    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Router(Patient(Stores.Options(Dir, StorageMode.DualWrite))));
}

public sealed class DatabaseFirstRouterContract : StorageContract
{
    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Router(Patient(Stores.Options(Dir, StorageMode.DatabaseFirst))));
}

public sealed class DatabaseOnlyRouterContract : StorageContract
{
    protected override Task<IStorage> CreateAsync() => Task.FromResult<IStorage>(Stores.Router(Patient(Stores.Options(Dir, StorageMode.DatabaseOnly))));
}

/// <summary>DatabaseFirst with its database gone: every call is answered from the files and the journal.</summary>
public sealed class DatabaseFirstDuringOutageContract : StorageContract
{
    protected override bool DeduplicatesIds => false;

    protected override async Task<IStorage> CreateAsync()
    {
        var options = Stores.Options(Dir, StorageMode.DatabaseFirst);
        var router = Stores.Router(options);
        await router.Replayer.WarmUpAsync(Ct);
        Stores.DeleteDatabase(options);
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
    }
}
