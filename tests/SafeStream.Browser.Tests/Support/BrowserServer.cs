using SafeStream.Storage;

namespace SafeStream.Browser.Tests.Support;

/// <summary>The test server as the browser tests run it: scores and settings of their own on <see cref="SafeStreamApp"/>.</summary>
public static class BrowserServer
{
    /// <summary>What a message with <see cref="MarkerScorer.Marker"/> scores; the dashboard shows it ("toxic 0.93").</summary>
    public const double ToxicScore = 0.93;

    public const double CleanScore = 0.04;

    // The dashboard's live feed polls fast, so a page shows a change within the assertions' timeout. The browser tests
    // have always run on the server's own resilience defaults (none takes the database away): not the server tests' quick breaker.
    private static readonly Dictionary<string, string?> Overrides = new()
    {
        ["Dashboard:FeedPollMs"] = "100",
        ["Storage:Resilience:BusyTimeoutMs"] = null,
        ["Storage:Resilience:BreakSeconds"] = null,
        ["Storage:Resilience:MinimumThroughput"] = null,
    };

    public static SafeStreamApp Start(TempFolder dir, StorageMode mode = StorageMode.DatabaseFirst) =>
        SafeStreamApp.Start(dir, mode, Overrides, scorer: new MarkerScorer(ToxicScore, CleanScore));
}
