using System.Data.Common;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SafeStream.Storage.Database;

namespace SafeStream.Storage.Resilient;

/// <summary>
/// Every database call of the router passes here: a Polly timeout inside a circuit breaker. Once the breaker is
/// open a call fails in microseconds, so a write during an outage costs a journal append, not a timeout.
/// Only outages count: a constraint violation is an answer and passes through untouched.
/// </summary>
public sealed partial class DatabaseGate
{
    public const string PipelineKey = "safestream-database";

    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _state;

    public DatabaseGate(ResiliencePipeline pipeline, CircuitBreakerStateProvider state)
    {
        _pipeline = pipeline;
        _state = state;
    }

    /// <summary>Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState State => _state.CircuitState;

    /// <summary>Raised when the breaker closes again after an outage.</summary>
    public event Action? Recovered;

    /// <summary>Builds the pipeline (also used for the keyed DI registration).</summary>
    public static void Configure(ResiliencePipelineBuilder builder, DatabaseResilienceOptions options, CircuitBreakerStateProvider state, ILogger logger, Action onClosed)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(options.SamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.BreakSeconds),
                StateProvider = state,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && IsOutage(ex)),
                OnOpened = args =>
                {
                    LogOpened(logger, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger);
                    onClosed();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(options.TimeoutMs));
    }

    /// <summary>A gate built without DI, for tools and tests.</summary>
    public static DatabaseGate Create(DatabaseResilienceOptions options, TimeProvider time, ILogger logger)
    {
        var state = new CircuitBreakerStateProvider();
        DatabaseGate? gate = null;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        Configure(builder, options, state, logger, () => gate?.OnClosed());
        gate = new DatabaseGate(builder.Build(), state);
        return gate;
    }

    // The hot path of every append: no async wrapper of our own around Polly's, the call's task is handed through.
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (c, ct) => new ValueTask<T>(c(ct)), call, cancellationToken).AsTask();

    public Task RunAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (c, ct) => new ValueTask(c(ct)), call, cancellationToken).AsTask();

    /// <summary>True for failures that mean "the database is not there right now"; false for answers and bugs.</summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        BrokenCircuitException or TimeoutRejectedException or TimeoutException => true,
        DbException db => !DbErrors.IsConstraintViolation(db),
        IOException or UnauthorizedAccessException => true,
        ObjectDisposedException => true,
        OperationCanceledException => false,
        { InnerException: { } inner } => IsOutage(inner),
        _ => false,
    };

    internal void OnClosed() => Recovered?.Invoke();

    [LoggerMessage(Level = LogLevel.Error, Message = "Database circuit opened for {Seconds}s after: {Reason}. Writes spill to the journal.")]
    private static partial void LogOpened(ILogger logger, double seconds, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database circuit closed: the database answers again.")]
    private static partial void LogClosed(ILogger logger);
}
