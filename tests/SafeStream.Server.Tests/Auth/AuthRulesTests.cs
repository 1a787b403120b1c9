using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafeStream.Server.Auth;
using SafeStream.Server.Chat;
using SafeStream.Server.Tests.Support;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Tests.Auth;

public sealed class AuthRulesTests
{
    private static readonly DateTimeOffset Kick = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AKickRevokesTokensIssuedBeforeItAndLegacyTokensWithoutIat()
    {
        Assert.True(TokenService.IsRevoked(Kick.AddSeconds(-1), Kick));
        Assert.True(TokenService.IsRevoked(null, Kick));
        Assert.False(TokenService.IsRevoked(Kick, Kick));
        Assert.False(TokenService.IsRevoked(null, null));
        Assert.False(TokenService.IsRevoked(Kick.AddSeconds(-1), null));
    }

    [Fact]
    public void ALoginInTheSecondOfAKickGetsATokenTheKickDoesNotRevoke()
    {
        var kickedAt = Kick.AddMilliseconds(700);
        var time = new FakeTimeProvider(Kick.AddMilliseconds(800));
        var tokens = new TokenService(Options.Create(new JwtOptions { SecretKey = SafeStreamApp.Secret }), time);
        var user = new User { Username = "bob", PasswordHash = "x", TokensValidAfter = kickedAt };

        var payload = Tokens.Payload(tokens.Issue(user));
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(payload.GetProperty("iat").GetInt64());

        Assert.False(TokenService.IsRevoked(issuedAt, kickedAt));
        Assert.Equal(Kick.AddSeconds(1), issuedAt);
        Assert.Equal(Kick.AddSeconds(30 * 60).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public void TheRateLimitAllowsABurstThenRefillsWithTime()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(2, 3, time);

        var burst = Enumerable.Range(0, 4).Select(_ => bucket.TryTake()).ToList();
        time.Advance(TimeSpan.FromMilliseconds(500));
        var refilled = bucket.TryTake();
        var empty = bucket.TryTake();

        Assert.Equal([true, true, true, false], burst);
        Assert.True(refilled);
        Assert.False(empty);
        Assert.True(new TokenBucket(0, 1, time).TryTake()); // 0 lifts the limit
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("al ice", false)]
    [InlineData("José", false)]
    [InlineData("<b>", false)]
    public void UsernamesFollowTheLegacyRule(string name, bool valid) => Assert.Equal(valid, Usernames.IsValid(name, 50));
}
