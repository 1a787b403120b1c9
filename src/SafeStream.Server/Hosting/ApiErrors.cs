using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace SafeStream.Server.Hosting;

/// <summary>The legacy error body: <c>{"detail": "..."}</c>.</summary>
internal sealed record ErrorDetail(string Detail);

internal static class ApiErrors
{
    /// <summary>
    /// What a caller is told when storage could not do what was asked: a fixed text, since the reason may name a path,
    /// a database host or role, or a login failure; the reason goes to the log.
    /// </summary>
    public const string StorageUnavailable = "Storage unavailable: nothing was changed; try again shortly (the operator's log says why)";

    /// <summary>An error answer for a typed endpoint.</summary>
    public static JsonHttpResult<ErrorDetail> Result(int status, string detail) =>
        TypedResults.Json(new ErrorDetail(detail), ApiJsonContext.Default.ErrorDetail, statusCode: status);

    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorDetail(detail), ApiJsonContext.Default.ErrorDetail, contentType: null, context.RequestAborted);
    }

    /// <summary>
    /// Unhandled exceptions become <c>{"detail"}</c> bodies (503 when storage could not do what was asked), and bodiless
    /// error statuses (404, 405, 413) get the detail FastAPI gave them.
    /// </summary>
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddExceptionHandler<DetailExceptionHandler>();
        services.AddProblemDetails();
        return services;
    }

    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            return WriteAsync(context.HttpContext, status, ReasonPhrases.GetReasonPhrase(status));
        });
        return app;
    }
}
