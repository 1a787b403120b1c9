using System.Diagnostics;
using SafeStream.Bench.Load;
using SafeStream.Server.Moderation;

namespace SafeStream.Bench.Moderation;

/// <summary>
/// The lexicon classifier: microseconds and bytes allocated per score on chat-sized messages, and precision/recall on
/// the labelled set at the default threshold, against a naive reference measured in the same run (lower-case the
/// text, look for each lexicon word as a substring). Options: --iterations N (default 1000000).
/// </summary>
internal sealed class ModerationBenchmark : IBenchmark
{
    private const double Threshold = 0.6;
    private const double TargetMicroseconds = 5;

    public string Name => "moderation";

    public string Description => "lexicon toxicity scorer: µs per score, precision/recall on the labelled set";

    public Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var iterations = int.Parse(BenchArgs.Text(args, "--iterations") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var lines = LabelledLines.Load();
        var scorer = new LexiconScorer();
        var naive = new NaiveSubstringScorer(Lexicon.Parse(("built-in lexicon", BuiltInLexicon.Text)));
        string[] samples =
        [
            "that last round was honestly one of the best plays i have seen on this stream all week, gg everyone",
            "y0u 4r3 such a st.u.p.i.d 1d10t, nobody likes you here, just uninstall and go away you looooser",
            .. lines.Select(l => l.Text),
        ];

        Console.WriteLine($"moderation benchmark: {iterations:N0} scores per measurement, threshold {Threshold}, {lines.Count} labelled lines");
        Console.WriteLine();
        Console.WriteLine($"{"scorer",-34} {"100-char clean",15} {"100-char toxic",15} {"labelled mix",13} {"B/score",8} {"precision",10} {"recall",7} {"F1",6}");
        Row("reference: naive substring search", naive.Score, samples, iterations, lines, cancellationToken);
        Row("LexiconScorer", scorer.Score, samples, iterations, lines, cancellationToken);
        Console.WriteLine();
        Console.WriteLine($"target: well under {TargetMicroseconds} µs per 100-char message (it runs once per chat frame)");
        return Task.CompletedTask;
    }

    private static void Row(string name, Func<string, double> score, string[] samples, int iterations, IReadOnlyList<LabelledLine> lines, CancellationToken cancellationToken)
    {
        var clean = MicrosecondsPerScore(score, [samples[0]], iterations, cancellationToken, out _);
        var toxic = MicrosecondsPerScore(score, [samples[1]], iterations, cancellationToken, out _);
        var mix = MicrosecondsPerScore(score, samples, iterations, cancellationToken, out var bytes);
        int tp = 0, fp = 0, fn = 0;
        foreach (var line in lines)
        {
            var predicted = score(line.Text) >= Threshold;
            tp += predicted && line.Toxic ? 1 : 0;
            fp += predicted && !line.Toxic ? 1 : 0;
            fn += !predicted && line.Toxic ? 1 : 0;
        }

        var precision = tp / (double)Math.Max(1, tp + fp);
        var recall = tp / (double)Math.Max(1, tp + fn);
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Console.WriteLine($"{name,-34} {clean,12:0.000} µs {toxic,12:0.000} µs {mix,10:0.000} µs {bytes,8:0.0} {precision,10:0.000} {recall,7:0.000} {f1,6:0.000}");
    }

    private static double MicrosecondsPerScore(Func<string, double> score, string[] texts, int iterations, CancellationToken cancellationToken, out double bytesPerScore)
    {
        var sink = 0.0;
        for (var i = 0; i < Math.Min(iterations, 50_000); i++)
        {
            sink += score(texts[i % texts.Length]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            sink += score(texts[i % texts.Length]);
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        bytesPerScore = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
        GC.KeepAlive(sink);
        return elapsed.TotalMicroseconds / iterations;
    }
}
