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
