using SafeStream.Migrate.Cli;
using Spectre.Console;

namespace SafeStream.Migrate.Import;

/// <summary>How far an import got: lines read, rows inserted, and (for the ETA) bytes of the files read.</summary>
internal readonly record struct ProgressUpdate(long Lines, long Inserted, long Bytes);

internal interface IProgressSink
{
    void Report(ProgressUpdate update);
}

/// <summary>
/// A Spectre progress bar on a terminal (lines/s in the description, ETA from the bytes read); elsewhere a plain line
/// per second, beginning with the first commit, so a script or a test can see the import is writing.
/// </summary>
internal static class ImportProgress
{
    public static async Task<T> RunAsync<T>(ToolConsole console, long totalBytes, bool quiet, TimeProvider time, Func<IProgressSink, Task<T>> work)
    {
        if (quiet)
        {
            return await work(new NoSink());
        }

        if (!console.IsTerminal)
        {
            return await work(new PlainSink(console, totalBytes, time));
        }

        return await console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("importing", maxValue: Math.Max(1, totalBytes));
                var result = await work(new BarSink(task, time));
                task.Value = task.MaxValue;
                return result;
            });
    }

    private sealed class NoSink : IProgressSink
    {
        public void Report(ProgressUpdate update)
        {
        }
    }

    private sealed class BarSink(ProgressTask task, TimeProvider time) : IProgressSink
    {
        private readonly long _start = time.GetTimestamp();

        public void Report(ProgressUpdate update)
        {
            var rate = update.Lines / Math.Max(0.001, time.GetElapsedTime(_start).TotalSeconds);
            task.Description = $"{update.Lines:N0} lines, {rate:N0} lines/s";
            task.Value = Math.Min(task.MaxValue, update.Bytes);
        }
    }

    private sealed class PlainSink(ToolConsole console, long totalBytes, TimeProvider time) : IProgressSink
    {
        private readonly long _start = time.GetTimestamp();
        private TimeSpan _lastPrinted = TimeSpan.MinValue;

        public void Report(ProgressUpdate update)
        {
            var elapsed = time.GetElapsedTime(_start);
            var due = _lastPrinted == TimeSpan.MinValue
                ? update.Inserted > 0 || elapsed >= TimeSpan.FromSeconds(1)
                : elapsed - _lastPrinted >= TimeSpan.FromSeconds(1);
            if (!due)
            {
                return;
            }

            _lastPrinted = elapsed;
            var rate = update.Lines / Math.Max(0.001, elapsed.TotalSeconds);
            var done = totalBytes > 0 ? Math.Min(1.0, (double)update.Bytes / totalBytes) : 1.0;
            var eta = done > 0 ? TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds * (1 - done) / done)) : TimeSpan.Zero;
            console.Line($"progress: {update.Lines:N0} lines read, {update.Inserted:N0} inserted, {rate:N0} lines/s, {done:P0} of {totalBytes / 1e6:N1} MB, ETA {eta:c}");
        }
    }
}
