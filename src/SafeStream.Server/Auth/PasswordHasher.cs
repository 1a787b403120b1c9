using System.Text;
using Microsoft.Extensions.Options;

namespace SafeStream.Server.Auth;

/// <summary>bcrypt, as the legacy service used it: its <c>$2b$</c> hashes verify, and new hashes are <c>$2b$</c> too.</summary>
public sealed class PasswordHasher(IOptions<PasswordOptions> options)
{
    /// <summary>bcrypt reads at most this many bytes of a password; longer ones would be silently truncated.</summary>
    public const int MaxPasswordBytes = 72;

    private readonly Lazy<string> _dummyHash = new(() => BCrypt.Net.BCrypt.HashPassword("not a password", BCrypt.Net.BCrypt.GenerateSalt(options.Value.BcryptCost, 'b')));

    public string Hash(string password) =>
        BCrypt.Net.BCrypt.HashPassword(password, BCrypt.Net.BCrypt.GenerateSalt(options.Value.BcryptCost, 'b'));

    public static bool Verify(string password, string hash)
    {
        try
        {
            return Encoding.UTF8.GetByteCount(password) <= MaxPasswordBytes && BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false; // a hash we cannot read matches no password
        }
    }

    /// <summary>Spends the time a real check would, so an unknown username is not told apart by the response time.</summary>
    public void VerifyNothing(string password) => BCrypt.Net.BCrypt.Verify(password, _dummyHash.Value);
}
