namespace SafeStream.Storage;

/// <summary>The storage could not do what was asked and nothing claims it did; callers answer 503.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A legacy file that cannot be parsed. It is reported with its path and never overwritten.</summary>
public sealed class CorruptFileException : Exception
{
    public CorruptFileException()
    {
    }

    public CorruptFileException(string message)
        : base(message)
    {
    }

    public CorruptFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CorruptFileException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    public string? Path { get; }

    public string? Reason { get; }
}

/// <summary>A database that existed before is gone; making an empty one in its place would free every username it held.</summary>
public sealed class DatabaseMissingException : IOException
{
    public DatabaseMissingException()
    {
    }

    public DatabaseMissingException(string message)
        : base(message)
    {
    }

    public DatabaseMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An event id that is stored already with other content (inside a <see cref="StorageUnavailableException"/>).</summary>
internal sealed class IdConflictException : Exception
{
    public IdConflictException()
    {
    }

    public IdConflictException(long id)
        : base($"event id {id} is stored already with other content")
    {
        Id = id;
    }

    public IdConflictException(string message)
        : base(message)
    {
    }

    public IdConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public long Id { get; }
}
