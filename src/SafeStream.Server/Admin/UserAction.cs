using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Admin;

/// <summary>
/// A moderator action on one user (kick, mute, unmute): its name in the admin log, the account change it stores, what
/// it does and answers once the change and the log entry are stored, and the log entry's details, if any.
/// </summary>
internal sealed record UserAction<T>(string Name, UserPatch Patch, Func<User, T> Take, Func<User, string?>? Details = null)
{
    /// <summary>An action that needs nothing from the body but the username.</summary>
    public static Task<Results<Ok<T>, JsonHttpResult<ErrorDetail>>> RunAsync(
        HttpRequest request, CurrentUser caller, IStorage storage, AdminLog log, Func<string, UserAction<T>> describe, CancellationToken cancellationToken) =>
        RunAsync(request, caller, storage, log, (_, username) => (describe(username), null), cancellationToken);

    /// <summary>
    /// Reads the username from the body (400 without one) and lets <paramref name="describe"/> make the action or refuse
    /// the body (400 with its reason); then stores the account change (404 for an unknown user), records the action,
    /// and only then lets it take effect on open sockets and answers.
    /// </summary>
    public static async Task<Results<Ok<T>, JsonHttpResult<ErrorDetail>>> RunAsync(
        HttpRequest request,
        CurrentUser caller,
        IStorage storage,
        AdminLog log,
        Func<JsonElement, string, (UserAction<T>? Action, string? Refusal)> describe,
        CancellationToken cancellationToken)
    {
        if ((await JsonBody.ReadObjectAsync(request, cancellationToken)).Body is not { } json || Username(json) is not { } username)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "Username required");
        }

        var (action, refusal) = describe(json, username);
        if (action is null)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, refusal!);
        }

        var user = await storage.UpdateUserAsync(username, action.Patch, cancellationToken);
        if (user is null)
        {
            return ApiErrors.Result(StatusCodes.Status404NotFound, $"User not found: {username}");
        }

        await log.RecordAsync(caller.Username, action.Name, username, action.Details?.Invoke(user), cancellationToken);
        return TypedResults.Ok(action.Take(user));
    }

    private static string? Username(JsonElement json) =>
        JsonBody.TryGetString(json, "username", out var username, out _) && !string.IsNullOrWhiteSpace(username) ? username : null;
}
