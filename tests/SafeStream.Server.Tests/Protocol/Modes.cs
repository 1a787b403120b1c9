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
