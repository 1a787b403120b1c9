using System.Text.RegularExpressions;

namespace SafeStream.Storage.Model;

/// <summary>
/// The legacy username rule, <c>[a-zA-Z0-9._-]+</c> and at most 50 characters, shared by the server and the import.
/// Anchored with <c>\z</c>: <c>$</c> also matches before a final newline, which let <c>"alice\n"</c> through.
/// </summary>
public static partial class UsernameRule
{
    /// <summary>The longest username the legacy service allowed.</summary>
    public const int MaxLength = 50;

    public static bool IsValid(string? username, int maxLength = MaxLength) =>
        username is { Length: > 0 } && username.Length <= maxLength && Pattern().IsMatch(username);

    [GeneratedRegex(@"^[a-zA-Z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
