using System.Globalization;

namespace SafeStream.Bench.Load;

/// <summary>Benchmark options as <c>--name value</c> pairs; a name may repeat.</summary>
internal static class BenchArgs
{
    public static string? Text(string[] args, string name) => All(args, name).LastOrDefault();

    public static IEnumerable<string> All(string[] args, string name)
    {
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name)
            {
                yield return args[i + 1];
            }
        }
    }

    public static int Int(string[] args, string name, int fallback) =>
        Text(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static double Double(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public static int[] Ints(string[] args, string name, int[] fallback) =>
        Text(args, name) is { } text ? [.. text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))] : fallback;
}
