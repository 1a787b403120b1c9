namespace SafeStream.Bench;

/// <summary>
/// One benchmark, found by name on the command line. It prints its figures and the reference it is compared with,
/// measured in the same run, and the ratio.
/// </summary>
public interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task RunAsync(string[] args, CancellationToken cancellationToken);
}
