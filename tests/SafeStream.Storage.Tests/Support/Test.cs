namespace SafeStream.Storage.Tests.Support;

public static class Test
{
    /// <summary>The running test's cancellation token (cancelled when the test times out or the run is aborted).</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
