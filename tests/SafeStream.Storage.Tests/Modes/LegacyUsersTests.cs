using SafeStream.Storage.Model;
using SafeStream.Storage.Modes;
using SafeStream.Storage.Tests.Support;

namespace SafeStream.Storage.Tests.Modes;

/// <summary>DatabaseFirst over a legacy deployment: users.json users keep working and never get a second owner.</summary>
public sealed class LegacyUsersTests : IAsyncLifetime
{
    private readonly TempFolder _dir = new();
    private StorageOptions _options = null!;
    private StorageRouter _router = null!;

    public async ValueTask InitializeAsync()
    {
        _dir.CopyLegacySample();
        _options = Stores.Options(_dir);
        _router = Stores.Router(_options);
        await _router.Replayer.WarmUpAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _router.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ALegacyUserIsFoundInUsersJsonWhileTheDatabaseLacksIt()
    {
        var alice = await _router.FindUserAsync("alice", Ct);
        var carol = await _router.FindUserAsync("carol", Ct);

        Assert.True(BCrypt.Net.BCrypt.Verify("secret123", alice?.PasswordHash));
        Assert.False(carol?.IsActive);
        Assert.Equal(0, DatabaseProbe.Scalar(_options, "SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task ALegacyUsernameCannotBeRegisteredInTheDatabase()
    {
        var result = await _router.CreateUserAsync(TestEvents.User("bob") with { PasswordHash = "$2b$12$squatter" }, Ct);

        Assert.Equal(CreateUserResult.UsernameTaken, result);
        Assert.True(BCrypt.Net.BCrypt.Verify("hunter22", (await _router.FindUserAsync("bob", Ct))?.PasswordHash));
        Assert.Equal(0, DatabaseProbe.Scalar(_options, "SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public async Task ChangingALegacyUserMovesItIntoTheDatabaseWithTheChange()
    {
        var updated = await _router.UpdateUserAsync("José", new UserPatch { IsAdmin = true }, Ct);

        Assert.True(updated?.IsAdmin);
        Assert.Equal(1, DatabaseProbe.Scalar(_options, "SELECT COUNT(*) FROM users WHERE username = 'José' AND is_admin = 1 AND email = 'jose@example.com'"));
        Assert.True(BCrypt.Net.BCrypt.Verify("secret123", (await _router.FindUserAsync("José", Ct))?.PasswordHash));
    }

    [Fact]
    public async Task ACorruptUsersJsonIsAnErrorNamingTheFileAndIsNeverOverwritten()
    {
        var path = _options.ResolvedUsersFile;
        var corrupt = "{\n  \"alice\": {\n    \"username\": \"al"u8.ToArray();
        await File.WriteAllBytesAsync(path, corrupt, Ct);

        var register = await Assert.ThrowsAsync<StorageUnavailableException>(() => _router.CreateUserAsync(TestEvents.User("newbie"), Ct));
        var lookup = await Assert.ThrowsAsync<StorageUnavailableException>(() => _router.FindUserAsync("alice", Ct));

        Assert.Contains(path, register.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", lookup.Message, StringComparison.Ordinal);
        Assert.Equal(corrupt, await File.ReadAllBytesAsync(path, Ct));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"alice\": {\"username\": \"alice\"}}")]
    [InlineData("{\"alice\": \"not an object\"}")]
    public async Task TheFileStoreRefusesACorruptUsersJsonAndLeavesItAlone(string content)
    {
        using var files = Stores.Files(_options);
        await File.WriteAllTextAsync(_options.ResolvedUsersFile, content, Ct);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => files.CreateUserAsync(TestEvents.User("newbie"), Ct));

        Assert.IsType<CorruptFileException>(error.InnerException);
        Assert.Equal(content, await File.ReadAllTextAsync(_options.ResolvedUsersFile, Ct));
        Assert.Single(Directory.EnumerateFiles(Path.GetDirectoryName(_options.ResolvedUsersFile)!), f => !f.EndsWith(".lock", StringComparison.Ordinal));
    }
}
