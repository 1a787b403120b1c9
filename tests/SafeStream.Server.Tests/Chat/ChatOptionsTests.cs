using System.ComponentModel.DataAnnotations;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Tests.Chat;

public sealed class ChatOptionsTests
{
    [Theory]
    [InlineData(-1, 100, nameof(ChatOptions.ReplayLimit))]
    [InlineData(5_001, 100, nameof(ChatOptions.ReplayLimit))] // the file modes keep the last 10 000 messages in memory
    [InlineData(500, 0, nameof(ChatOptions.MaxAnonymousPerAddress))]
    public void AReplayLimitOrAnAddressLimitOutOfRangeIsRefusedNamingTheKey(int replayLimit, int perAddress, string key)
    {
        var options = new ChatOptions { ReplayLimit = replayLimit, MaxAnonymousPerAddress = perAddress };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Equal([key], results.SelectMany(r => r.MemberNames));
    }
}
