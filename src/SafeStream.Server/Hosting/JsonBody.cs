using System.Text.Json;

namespace SafeStream.Server.Hosting;

/// <summary>
/// Request bodies are read as a JSON object and picked apart by each endpoint, so every malformed body gets the
/// legacy status and <c>detail</c> of that endpoint (422, or 400 with its own text) instead of a framework default.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 16 };

    /// <summary>The body's JSON object, or null with <paramref name="error"/> saying what was wrong with it.</summary>
    public static async Task<(JsonElement? Body, string? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, Options, cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "the body must be a JSON object");
            }

            CheckText(document.RootElement);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (null, $"the body is not valid JSON ({ex.Message})");
        }
        catch (InvalidOperationException)
        {
            return (null, "the body is not valid Unicode text (invalid UTF-8 or a lone surrogate)");
        }
    }

    /// <summary>
    /// Reads every field name and string once, so that one that is no text (an escaped half of a surrogate pair, bytes
    /// that are not UTF-8) is refused here, not thrown later by a look-up (<c>TryGetProperty</c> unescapes the names it
    /// passes) as a 500. Throws <see cref="InvalidOperationException"/> for it.
    /// </summary>
    private static void CheckText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    CheckText(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    /// <summary>A string property: absent (null, no error), a string, or an error naming the field.</summary>
    public static bool TryGetString(JsonElement body, string name, out string? value, out string? error, bool allowNull = true)
    {
        value = null;
        error = null;
        if (!body.TryGetProperty(name, out var property) || (allowNull && property.ValueKind == JsonValueKind.Null))
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            error = $"{name} must be a string";
            return false;
        }

        try
        {
            value = property.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped half of a surrogate pair, or bytes that are not UTF-8: no store can keep it as text.
            error = $"{name} is not valid Unicode (invalid UTF-8 or a lone surrogate)";
            return false;
        }

        if (value!.Contains('\0', StringComparison.Ordinal))
        {
            value = null;
            error = $"{name} must not contain U+0000 (NUL)"; // PostgreSQL text cannot hold it, so no store can
            return false;
        }

        return true;
    }
}
