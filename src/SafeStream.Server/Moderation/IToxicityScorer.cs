namespace SafeStream.Server.Moderation;

/// <summary>Scores a chat message for toxicity. Deterministic, thread-safe, fast (called once per chat frame).</summary>
internal interface IToxicityScorer
{
    /// <summary>A score in [0, 1]; the server compares it with the stored threshold (toxic = score &gt;= threshold).</summary>
    double Score(string text);
}
