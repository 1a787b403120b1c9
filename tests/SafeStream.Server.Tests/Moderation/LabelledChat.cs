using System.Runtime.CompilerServices;

namespace SafeStream.Server.Tests.Moderation;

internal sealed record LabelledLine(bool Toxic, string Text);

/// <summary>Counts of a binary classification against labels, with its precision, recall and F1.</summary>
internal sealed record Confusion(int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    public double Precision => TruePositives / (double)Math.Max(1, TruePositives + FalsePositives);

    public double Recall => TruePositives / (double)Math.Max(1, TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static Confusion Of(IEnumerable<LabelledLine> lines, Func<LabelledLine, bool> predictToxic)
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var line in lines)
        {
            var predicted = predictToxic(line);
            _ = (line.Toxic, predicted) switch
            {
                (true, true) => tp++,
                (false, true) => fp++,
                (true, false) => fn++,
                (false, false) => tn++,
            };
        }

        return new Confusion(tp, fp, fn, tn);
    }

    public override string ToString() =>
        $"precision {Precision:0.000}, recall {Recall:0.000}, F1 {F1:0.000} (TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives}, TN {TrueNegatives})";
}

/// <summary>
/// The labelled chat lines of <c>chat-toxicity.tsv</c> (see its header for how they were written). The file stays in
/// the source tree, next to this one, rather than being copied to the build output.
/// </summary>
internal static class LabelledChat
{
    public const string FileName = "chat-toxicity.tsv";

    public static IReadOnlyList<LabelledLine> Load() => Parse(File.ReadAllLines(Locate()));

    public static IReadOnlyList<LabelledLine> Parse(IEnumerable<string> lines) =>
    [
        .. lines
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('\t', 2))
            .Select(parts => new LabelledLine(
                parts[0] switch
                {
                    "toxic" => true,
                    "ok" => false,
                    _ => throw new FormatException($"label must be 'toxic' or 'ok', not '{parts[0]}'"),
                },
                parts[1])),
    ];

    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", FileName);
        if (File.Exists(besideSource))
        {
            return besideSource;
        }

        // Builds with mapped source paths: walk up from the output folder to the repository.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "SafeStream.Server.Tests", "Moderation", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{FileName} not found beside {sourceFile} or above {AppContext.BaseDirectory}");
    }
}
