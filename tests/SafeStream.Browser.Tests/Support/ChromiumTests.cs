
namespace SafeStream.Browser.Tests.Support;

/// <summary>A browser that is not there says how to get one.</summary>
public sealed class ChromiumTests
{
    [Fact]
    public void ANamedBrowserThatIsNotThereFailsSayingHowToGetOne()
    {
        var before = Environment.GetEnvironmentVariable(Chromium.Variable);
        Environment.SetEnvironmentVariable(Chromium.Variable, "/no/such/chromium");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(Chromium.ExecutablePath);

            Assert.Contains("/no/such/chromium", error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install -y chromium", error.Message, StringComparison.Ordinal);
            Assert.Contains("playwright.ps1 install chromium", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Chromium.Variable, before); // read once, when the run starts
        }
    }
}
