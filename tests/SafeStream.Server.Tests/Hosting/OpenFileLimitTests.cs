using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;

namespace SafeStream.Server.Tests.Hosting;

public sealed class OpenFileLimitTests : IDisposable
{
    private const string ProcLimits = """
        Limit                     Soft Limit           Hard Limit           Units     
        Max cpu time              unlimited            unlimited            seconds   
        Max open files            512                  4096                 files     
        Max locked memory         8388608              8388608              bytes     

        """;

    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheOpenFileRowOfProcLimitsGivesTheSoftAndHardLimits()
    {
        var limits = OpenFileLimit.Parse(ProcLimits);
        var unlimitedHard = OpenFileLimit.Parse("Max open files            1024                 unlimited            files\n");
        var unlimitedSoft = OpenFileLimit.Parse("Max open files            unlimited            unlimited            files\n");
        var noRow = OpenFileLimit.Parse("Max cpu time              unlimited            unlimited            seconds\n");

        Assert.Equal((512L, (long?)4096L), limits);
        Assert.Equal((1024L, (long?)null), unlimitedHard);
        Assert.Null(unlimitedSoft);
        Assert.Null(noRow);
        Assert.NotNull(OpenFileLimit.Read()); // this test runs on Linux, where /proc/self/limits is there
    }

    [Theory]
    [InlineData(1024, 300, 1000, 468)] // the files open at start and a margin of 256 are kept
    [InlineData(512, 300, 1000, 1)] // nothing left: one socket rather than an invalid setting
    [InlineData(20_000, 300, 1000, 1000)] // the limit allows more than asked: unchanged
    [InlineData(20_000, 300, 50_000, 17_700)] // a margin of a tenth once the limit is large
    public void MaxConnectionsIsLoweredToWhatTheLimitLeavesAfterTheOpenFilesAndAMargin(long soft, int open, int configured, int expected)
    {
        var options = new LimitsOptions { MaxConnections = configured };

        new ConnectionCeiling(NullLogger<ConnectionCeiling>.Instance, () => (soft, null), () => open).PostConfigure(null, options);

        Assert.Equal(expected, options.MaxConnections);
    }

    [Fact]
    public void AnUnreadableLimitLeavesMaxConnectionsAsConfigured()
    {
        var options = new LimitsOptions { MaxConnections = 5000 };

        new ConnectionCeiling(NullLogger<ConnectionCeiling>.Instance, () => null).PostConfigure(null, options);

        Assert.Equal(5000, options.MaxConnections);
    }

    [Fact]
    public async Task AServerStartedUnderALowOpenFileLimitLowersMaxConnectionsSaysSoAndRefusesConnectsPastIt()
    {
        var settings = ServerProcess.Settings(_dir, "DatabaseFirst");
        settings["Limits:MaxConnectionsPerUser"] = "5000";
        settings["Limits:MaxConnections"] = "5000";
        await using var server = await ServerProcess.StartAsync(_dir, settings, openFiles: 1024);
        var token = await server.RegisterAsync("alice");
        var lowered = Regex.Match(server.Output(), @"Limits:MaxConnections 5000 is more than the open-file limit 1024 allows: lowered to (\d+) \(kept: the (\d+) files open at start, and 256 for");
        Assert.True(lowered.Success, server.Output());
        var allowed = int.Parse(lowered.Groups[1].Value, CultureInfo.InvariantCulture);
        var sockets = new List<ChatClient>();
        try
        {
            for (var i = 0; i < allowed; i++)
            {
                sockets.Add(await server.ConnectAsync("alice", token));
            }

            var past = await ChatClient.RefusedStatusAsync(server.BaseAddress, "alice", token);

            Assert.True(server.Said("Open-file limit: 1024 (hard 1024)"), server.Output());
            Assert.Equal(1024 - 256 - int.Parse(lowered.Groups[2].Value, CultureInfo.InvariantCulture), allowed);
            Assert.InRange(allowed, 100, 1024 - 256);
            Assert.Equal(503, past);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
