using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SafeStream.Server.Admin;
using SafeStream.Server.Auth;
using SafeStream.Server.Hosting;
using SafeStream.Storage;

namespace SafeStream.Server.Threshold;

/// <summary><c>{"threshold": 0.6}</c>: a message is toxic when its score is at least the threshold.</summary>
internal sealed record ThresholdBody(double Threshold);

internal static class ThresholdApi
{
    /// <summary>
    /// Registers the threshold every chat message is compared with, kept in memory and re-read from storage; the
    /// <c>Moderation</c> section is validated at start.
    /// </summary>
    public static IServiceCollection AddThreshold(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ModerationThresholdOptions>()
            .Bind(configuration.GetSection(ModerationThresholdOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ThresholdState>();
        services.AddHostedService(sp => sp.GetRequiredService<ThresholdState>());
        return services;
    }

    public static RouteGroupBuilder MapThreshold(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/mod/threshold").WithTags("Moderation");
        group.MapGet("/", GetAsync);
        group.MapPatch("/", SetAsync).Accepts<ThresholdBody>("application/json").RequireAuthorization(AuthServiceCollectionExtensions.AdminPolicy);
        return group;
    }

    private static async Task<Ok<ThresholdBody>> GetAsync(ThresholdState threshold, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(new ThresholdBody(await threshold.ReadAsync(cancellationToken)));
        }
        catch (StorageUnavailableException)
        {
            return TypedResults.Ok(new ThresholdBody(threshold.Current)); // the value in force is still true
        }
    }

    private static async Task<Results<Ok<ThresholdBody>, JsonHttpResult<ErrorDetail>>> SetAsync(
        HttpRequest request, CurrentUser caller, ThresholdState threshold, AdminLog log, CancellationToken cancellationToken)
    {
        var (body, _) = await JsonBody.ReadObjectAsync(request, cancellationToken);
        if (body is not { } json
            || !json.TryGetProperty("threshold", out var property)
            || property.ValueKind != JsonValueKind.Number
            || !property.TryGetDouble(out var value)
            || value is not (>= 0 and <= 1))
        {
            return ApiErrors.Result(StatusCodes.Status400BadRequest, "threshold must be a number between 0 and 1");
        }

        var previous = threshold.Current;
        await threshold.SetAsync(value, cancellationToken);
        await log.RecordAsync(caller.Username, "threshold", null, string.Create(CultureInfo.InvariantCulture, $"{previous} -> {value}"), cancellationToken);
        return TypedResults.Ok(new ThresholdBody(value));
    }
}
