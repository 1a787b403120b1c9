using System.Data.Common;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SafeStream.Storage.Database;

namespace SafeStream.Storage.Modes;

/// <summary>
/// The database as the modes call it: every call passes a Polly timeout inside a circuit breaker, and every answer
/// is noted in the <see cref="OutageStatus"/>. Once the breaker is open a call fails in microseconds, so a write
/// during an outage costs a journal append, not a timeout. Only outages count: a constraint violation is an answer
/// and passes through untouched.
/// </summary>
internal sealed partial class DatabaseGate
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _state;
    private TaskCompletionSource _closed = Completed();

    private DatabaseGate(ResiliencePipeline pipeline, CircuitBreakerStateProvider state, DbStore store, OutageStatus status)
    {
        _pipeline = pipeline;
        _state = state;
        Store = store;
        Status = status;
    }

    public DbStore Store { get; }

    public OutageStatus Status { get; }

    /// <summary>Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState State => _state.CircuitState;

    /// <summary>Completes when the breaker is closed: at once while it is, else when the database answers again.</summary>
    public Task Closed => Volatile.Read(ref _closed).Task;

    /// <param name="store">The database behind the gate.</param>
    /// <param name="status">Where answers and outages are noted.</param>
    /// <param name="options">The breaker and the timeout.</param>
    /// <param name="time">The clock of both.</param>
    /// <param name="logger">Where opening and closing are logged.</param>
    /// <param name="recovered">Called when the breaker closes again after an outage.</param>
    public static DatabaseGate Create(DbStore store, OutageStatus status, DatabaseResilienceOptions options, TimeProvider time, ILogger logger, Action recovered)
    {
        var state = new CircuitBreakerStateProvider();
        DatabaseGate? gate = null;
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
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
                    // Pooled connections may point at a server that went away or a file that was replaced: the
                    // breaker's trial call must get a fresh one, not fail on a stale one and open the breaker again.
                    store.ResetConnections();
                    gate?.Opened();
                    LogOpened(logger, args.BreakDuration.TotalSeconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger);
                    gate?.ClosedAgain();
                    recovered();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromMilliseconds(options.TimeoutMs))
            .Build();
        return gate = new DatabaseGate(pipeline, state, store, status);
    }

    /// <summary>Calls the database through the gate and notes the answer; an outage is thrown for the mode to handle.</summary>
    public async Task<T> CallAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var result = await StartAsync(call, cancellationToken);
        Status.DatabaseAnswered();
        return result;
    }

    // The hot path of every append: no async wrapper of our own around Polly's, the call's task is handed through.

    /// <summary>Calls the database through the gate; the caller notes the answer (<see cref="OutageStatus.DatabaseAnswered"/>).</summary>
    public Task<T> StartAsync<T>(Func<DbStore, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (s, ct) => new ValueTask<T>(s.call(s.Store, ct)), (call, Store), cancellationToken).AsTask();

    public Task StartAsync(Func<DbStore, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(static (s, ct) => new ValueTask(s.call(s.Store, ct)), (call, Store), cancellationToken).AsTask();

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

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private void Opened()
    {
        var current = Volatile.Read(ref _closed);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _closed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    private void ClosedAgain() => Volatile.Read(ref _closed).TrySetResult();

    [LoggerMessage(Level = LogLevel.Error, Message = "Database circuit opened for {Seconds}s after: {Reason}. Writes spill to the journal.")]
    private static partial void LogOpened(ILogger logger, double seconds, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database circuit closed: the database answers again.")]
    private static partial void LogClosed(ILogger logger);
}
