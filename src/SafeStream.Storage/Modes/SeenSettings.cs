namespace SafeStream.Storage.Modes;

/// <summary>The last value of each setting the database answered, served while it is down.</summary>
internal sealed class SeenSettings
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Remember(string key, string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_lock)
        {
            _values[key] = value;
        }
    }

    public string? Get(string key)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(key);
        }
    }
}
