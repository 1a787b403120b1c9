using System.Collections.Concurrent;
using SafeStream.Server.Auth;

namespace SafeStream.Server.Chat;

// Places: every socket holds one of Limits:MaxConnections from before its handshake until it closed; an anonymous
// viewer also holds one of Chat:MaxAnonymousPerAddress for its client address.
internal sealed partial class ChatHub
{
    private readonly ConcurrentDictionary<string, int> _anonymousByAddress = new(StringComparer.Ordinal);

    /// <summary>Holds a place for an anonymous viewer from <paramref name="address"/> (see <see cref="ClientAddresses.Key(HttpContext)"/>), or says why there is none.</summary>
    public bool TryReserveAnonymous(string address, int perAddress, out (int Status, string Detail) refusal)
    {
        if (!TryReserveOne(out refusal))
        {
            return false;
        }

        var count = _anonymousByAddress.AddOrUpdate(address, 1, static (_, n) => n + 1);
        if (count > perAddress)
        {
            ReleaseAnonymous(address);
            refusal = (StatusCodes.Status503ServiceUnavailable, $"Too many anonymous connections from one address ({perAddress})");
            return false;
        }

        return true;
    }

    /// <summary>Gives back an anonymous viewer's place.</summary>
    public void ReleaseAnonymous(string address)
    {
        Interlocked.Decrement(ref _reserved);
        if (_anonymousByAddress.AddOrUpdate(address, 0, static (_, n) => n - 1) <= 0)
        {
            _anonymousByAddress.TryRemove(new KeyValuePair<string, int>(address, 0));
        }
    }

    private bool TryReserveOne(out (int Status, string Detail) refusal)
    {
        if (Interlocked.Increment(ref _reserved) > _limits.MaxConnections)
        {
            Interlocked.Decrement(ref _reserved);
            refusal = (StatusCodes.Status503ServiceUnavailable, $"The server is full ({_limits.MaxConnections} connections)");
            return false;
        }

        refusal = default;
        return true;
    }
}
