using SafeStream.Bench.Load;

namespace SafeStream.Bench.Moderation;

internal sealed record LabelledLine(bool Toxic, string Text);

/// <summary>The labelled chat set of the server tests (tests/SafeStream.Server.Tests/Moderation/chat-toxicity.tsv).</summary>
internal static class LabelledLines
{
    private static readonly string RelativePath = Path.Combine("tests", "SafeStream.Server.Tests", "Moderation", "chat-toxicity.tsv");

    public static IReadOnlyList<LabelledLine> Load()
    {
        var path = RepositoryFile.Find(RelativePath);
        return
        [
            .. File.ReadLines(path)
                .Where(line => line.Length > 0 && line[0] != '#')
                .Select(line => line.Split('\t', 2))
                .Select(parts => new LabelledLine(parts[0] == "toxic", parts[1])),
        ];
    }
}
