using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeStream.Server.Hosting;

/// <summary>Writes doubles as Python floats, so clients that check for a float never see <c>0</c> where <c>0.0</c> was meant.</summary>
internal sealed class PythonFloatConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> buffer = stackalloc byte[40];
        writer.WriteRawValue(buffer[..WireFormat.FormatFloat(value, buffer)], skipInputValidation: true);
    }
}
