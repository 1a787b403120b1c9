using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SafeStream.Server.Chat;
using SafeStream.Server.Hosting;
using SafeStream.Storage;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Auth;

internal static class AuthApi
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/register", RegisterAsync).Accepts<RegisterRequest>("application/json").RequireAddressLimit(AuthRateLimits.RegisterPolicy);
        group.MapPost("/login", LoginAsync)
            .Accepts<LoginForm>("application/x-www-form-urlencoded", "multipart/form-data")
            .DisableAntiforgery()
            .RequireAddressLimit(AuthRateLimits.LoginPolicy);
        group.MapGet("/me", (CurrentUser caller) => TypedResults.Ok(new MeResponse(caller.Username, caller.Account.Email, !caller.Account.IsActive)))
            .RequireAuthorization();
        return group;
    }

    private static async Task<Results<Ok<TokenResponse>, JsonHttpResult<ErrorDetail>>> RegisterAsync(
        HttpRequest request,
        IStorage storage,
        PasswordHasher hasher,
        TokenService tokens,
        IOptions<LimitsOptions> limits,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (body is not { } json)
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, error!);
        }

        var max = limits.Value.MaxUsernameLength;
        string? username = null, password = null, email = null;
        error = !JsonBody.TryGetString(json, "username", out username, out error, allowNull: false) ? error
            : !JsonBody.TryGetString(json, "password", out password, out error, allowNull: false) ? error
            : !JsonBody.TryGetString(json, "email", out email, out error) ? error
            : username is null ? "username is required"
            : !Usernames.IsValid(username, max) ? $"username must be {Usernames.Rule(max)}"
            : string.IsNullOrEmpty(password) ? "password is required"
            : PasswordHasher.IsTooLong(password) ? $"password must be at most {PasswordHasher.MaxPasswordBytes} bytes"
            : email is { Length: > 254 } ? "email must be at most 254 characters"
            : email is not null && !UsernameRule.IsPrintable(email) ? "email must not contain control characters or line breaks"
            : null;
        if (error is not null)
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, error);
        }

        var hash = await hasher.HashAsync(password!, cancellationToken);
        var now = time.GetUtcNow();
        var user = new User { Username = username!, Email = email, PasswordHash = hash, CreatedAt = now, UpdatedAt = now };
        if (await storage.CreateUserAsync(user, cancellationToken) == CreateUserResult.UsernameTaken)
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "Username already registered");
        }

        return TypedResults.Ok(new TokenResponse(tokens.Issue(user), "bearer", user.Username));
    }

    private static async Task<Results<Ok<TokenResponse>, JsonHttpResult<ErrorDetail>>> LoginAsync(
        HttpContext context,
        IStorage storage,
        PasswordHasher hasher,
        SignInLimits limits,
        TokenService tokens,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!LoginOrigin.IsAllowed(context))
        {
            return ApiErrors.Result(StatusCodes.Status403Forbidden, "Cross-site login refused: the form was posted from another site's page (Origin)");
        }

        if (!request.HasFormContentType)
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, "the login form must be application/x-www-form-urlencoded or multipart/form-data");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, $"the login form cannot be read ({ex.Message})");
        }

        string? username = form["username"], password = form["password"], grantType = form["grant_type"];
        if (username is null || password is null)
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, "username and password are required form fields");
        }

        if (grantType is not (null or "password"))
        {
            return ApiErrors.Result(StatusCodes.Status422UnprocessableEntity, "grant_type must be \"password\"");
        }

        // A name no account can have is refused before it is looked up or counted: longer than any username, or with a
        // control character (such as "alice\n", which the legacy rule let through). Legacy names the rule refuses
        // (José, made by hand) are printable and short, and still sign in.
        if (username.Length > UsernameRule.MaxLength || !UsernameRule.IsPrintable(username))
        {
            return Incorrect(context);
        }

        var address = ClientAddresses.Key(context);
        if (await limits.LockedForAsync(username, address, cancellationToken) is { } locked)
        {
            return AuthRateLimits.TooMany(context, "login_username", locked, $"Too many failed logins for this username from this address; try again in {AuthRateLimits.Seconds(locked)} s");
        }

        var user = await storage.FindUserAsync(username, cancellationToken);
        if (!await hasher.CheckAsync(password, user, cancellationToken))
        {
            await limits.FailedAsync(username, address, cancellationToken);
            return Incorrect(context);
        }

        await limits.SucceededAsync(username, address, cancellationToken);
        return user!.IsActive
            ? TypedResults.Ok(new TokenResponse(tokens.Issue(user), "bearer", user.Username))
            : ApiErrors.Result(StatusCodes.Status400BadRequest, "Inactive user");
    }

    private static JsonHttpResult<ErrorDetail> Incorrect(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.Result(StatusCodes.Status401Unauthorized, "Incorrect username or password");
    }
}
