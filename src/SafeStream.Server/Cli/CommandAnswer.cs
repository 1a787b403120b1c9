using System.Text.Json;
using System.Text.Json.Serialization;
using SafeStream.Server.Hosting;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Cli;

/// <summary>
/// What a command says: a line for people, a JSON document for scripts (<c>--json</c>). Stored text (an e-mail, a legacy
/// username) and the command line's own words may hold control characters: the line shows them as <c>\uXXXX</c>, so
/// they cannot forge rows or drive the terminal; the JSON escapes them as JSON does.
/// </summary>
internal sealed record CommandAnswer(bool Ok, string Text, string Json)
{
    public static CommandAnswer Done(string text, AccountJson account) =>
        new(true, Logging.EscapeControl(text), JsonSerializer.Serialize(new ResultJson(true, text, account), OperatorJsonContext.Default.ResultJson));

    public static CommandAnswer Failure(string text) =>
        new(false, Logging.EscapeControl(text), JsonSerializer.Serialize(new ResultJson(false, text, null), OperatorJsonContext.Default.ResultJson));

    public static CommandAnswer NoSuchAccount(string username) => Failure($"No account named '{username}'; register it first.");
}

/// <summary>An account as the commands show it; never its password hash.</summary>
internal sealed record AccountJson(string Username, string? Email, bool Disabled, bool Admin, DateTimeOffset? CreatedAt, DateTimeOffset? MutedUntil)
{
    public static AccountJson Of(User user) => new(
        user.Username,
        user.Email,
        !user.IsActive,
        user.IsAdmin,
        user.CreatedAt == DateTimeOffset.UnixEpoch ? null : user.CreatedAt,
        user.MutedUntil);
}

internal sealed record ResultJson(bool Ok, string Message, AccountJson? Account);

internal sealed record ListJson(int Total, int Offset, IReadOnlyList<AccountJson> Users);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ResultJson))]
[JsonSerializable(typeof(ListJson))]
internal sealed partial class OperatorJsonContext : JsonSerializerContext;
