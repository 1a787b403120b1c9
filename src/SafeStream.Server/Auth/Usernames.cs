using System.Text.RegularExpressions;

namespace SafeStream.Server.Auth;

/// <summary>The legacy username rule: <c>^[a-zA-Z0-9._-]+$</c>, at most <c>Limits:MaxUsernameLength</c> characters.</summary>
public static partial class Usernames
{
    public static bool IsValid(string? username, int maxLength) =>
        username is { Length: > 0 } && username.Length <= maxLength && Pattern().IsMatch(username);

    public static string Rule(int maxLength) => $"1 to {maxLength} characters of letters, digits, '.', '_' or '-'";

    [GeneratedRegex("^[a-zA-Z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
