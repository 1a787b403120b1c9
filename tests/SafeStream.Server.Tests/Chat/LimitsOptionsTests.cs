using System.ComponentModel.DataAnnotations;
using SafeStream.Server.Chat;

namespace SafeStream.Server.Tests.Chat;

public sealed class LimitsOptionsTests
{
    [Fact]
    public void ASendQueueTooSmallForFourOfTheLargestChatFramesIsRefusedNamingItsKey()
    {
        var limits = new LimitsOptions { MaxMessageChars = 100_000, SendQueueBytes = 1024 * 1024 };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(limits, new ValidationContext(limits), results, validateAllProperties: true);

        Assert.False(valid);
        var result = Assert.Single(results);
        Assert.Contains("Limits:SendQueueBytes", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal([nameof(LimitsOptions.SendQueueBytes)], result.MemberNames);
    }

    [Fact]
    public void TheDefaultsAreValid()
    {
        var limits = new LimitsOptions();

        Assert.True(Validator.TryValidateObject(limits, new ValidationContext(limits), [], validateAllProperties: true));
    }
}
