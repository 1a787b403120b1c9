using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using SafeStream.Server.Auth;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;

namespace SafeStream.Server.Hosting;

/// <summary>The legacy error body: <c>{"detail": "..."}</c>.</summary>
public sealed record ErrorDetail(string Detail);

public static partial class ApiErrors
{
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable for {Method} {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A legacy file cannot be read for {Method} {Path}")]
    private static partial void LogCorruptFile(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);

    private sealed class DetailExceptionHandler(ILogger<DetailExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var request = httpContext.Request;
            if (exception is ServerBusyException busy)
            {
                httpContext.RequestServices.GetRequiredService<ServerMetrics>().RateLimited(busy.Limit);
                httpContext.Response.Headers.RetryAfter = "1";
                await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, busy.Message);
            }
            else if (exception is StorageUnavailableException)
            {
                LogStorageUnavailable(logger, request.Method, request.Path, exception.Message);
                await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, exception.Message);
            }
            else if (exception is CorruptFileException corrupt)
            {
                LogCorruptFile(logger, corrupt, request.Method, request.Path);
                await WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Storage unavailable: a legacy file cannot be read (the operator's log says which).");
            }
            else if (exception is BadHttpRequestException bad)
            {
                await WriteAsync(httpContext, bad.StatusCode, bad.Message);
            }
            else
            {
                LogUnhandled(logger, exception, request.Method, request.Path);
                await WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "Internal Server Error");
            }

            return true;
        }
    }
}
