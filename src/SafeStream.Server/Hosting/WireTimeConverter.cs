using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeStream.Server.Hosting;

/// <summary>Writes <see cref="DateTimeOffset"/> in the wire format; reads any ISO 8601 time.</summary>
internal sealed class WireTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> buffer = stackalloc char[32];
        writer.WriteStringValue(buffer[..WireFormat.FormatTime(value, buffer)]);
    }
}
