using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeStream.Storage.Jsonl;

/// <summary><c>settings.json</c> beside <c>users.json</c>: the stored settings of the file modes, as a flat string map.</summary>
internal static class SettingsFile
{
    public static Dictionary<string, string> Load(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return JsonSerializer.Deserialize(bytes, SettingsJsonContext.Default.DictionaryStringString)
                ?? throw new CorruptFileException(path, "the file holds null, not an object");
        }
        catch (FileNotFoundException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (DirectoryNotFoundException)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new CorruptFileException(path, $"not a JSON object of strings ({ex.Message})", ex);
        }
    }

    public static void Save(string path, Dictionary<string, string> settings) =>
        AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(settings, SettingsJsonContext.Default.DictionaryStringString));
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
