namespace SafeStream.Storage.Database;

internal sealed class SettingRow
{
    public required string Key { get; set; }

    public required string Value { get; set; }

    /// <summary>When the value was set: an older value is not applied over it.</summary>
    public long UpdatedAt { get; set; }
}
