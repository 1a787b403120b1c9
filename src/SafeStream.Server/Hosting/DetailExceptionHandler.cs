using Microsoft.AspNetCore.Diagnostics;
using SafeStream.Server.Auth;
using SafeStream.Server.Telemetry;
using SafeStream.Storage;

namespace SafeStream.Server.Hosting;

/// <summary>
/// Unhandled exceptions as <c>{"detail"}</c> bodies: 503 when storage could not do what was asked (a fixed text; the
/// reason, which may name paths, hosts or roles, is logged), 500 with a generic text otherwise.
/// </summary>
internal sealed partial class DetailExceptionHandler(ILogger<DetailExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        if (exception is ServerBusyException busy)
        {
            httpContext.RequestServices.GetRequiredService<ServerMetrics>().RateLimited(busy.Limit);
            httpContext.Response.Headers.RetryAfter = "1";
            await ApiErrors.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, busy.Message);
        }
        else if (exception is StorageUnavailableException)
        {
            LogStorageUnavailable(logger, request.Method, request.Path, exception.Message);
            await ApiErrors.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, ApiErrors.StorageUnavailable);
        }
        else if (exception is CorruptFileException corrupt)
        {
            LogCorruptFile(logger, corrupt, request.Method, request.Path);
            await ApiErrors.WriteAsync(httpContext, StatusCodes.Status503ServiceUnavailable, "Storage unavailable: a legacy file cannot be read (the operator's log says which).");
        }
        else if (exception is BadHttpRequestException bad)
        {
            await ApiErrors.WriteAsync(httpContext, bad.StatusCode, bad.Message);
        }
        else
        {
            LogUnhandled(logger, exception, request.Method, request.Path);
            await ApiErrors.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, "Internal Server Error");
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable for {Method} {Path}: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A legacy file cannot be read for {Method} {Path}")]
    private static partial void LogCorruptFile(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
