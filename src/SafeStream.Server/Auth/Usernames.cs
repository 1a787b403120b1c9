using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

/// <summary>The legacy username rule (see <see cref="UsernameRule"/>), at most <c>Limits:MaxUsernameLength</c> characters.</summary>
internal static class Usernames
{
    public static bool IsValid(string? username, int maxLength) => UsernameRule.IsValid(username, maxLength);

    public static string Rule(int maxLength) => $"1 to {maxLength} characters of letters, digits, '.', '_' or '-'";
}
