namespace SafeStream.Testing;

/// <summary>The running test, read through <c>using static</c> in every test project.</summary>
public static class Test
{
    /// <summary>The running test's cancellation token (cancelled when the test times out or the run is aborted).</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
