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

    /// <summary>
    /// Whether a stored name is at least free of control characters and line breaks. Legacy accounts may hold names the
    /// rule refuses (<c>José</c>, created by hand) and keep them; a name with a newline is refused everywhere, since it
    /// is shown as another name and forges log lines.
    /// </summary>
    public static bool IsPrintable(string? username) =>
        username is { Length: > 0 } && !username.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    [GeneratedRegex(@"^[a-zA-Z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
