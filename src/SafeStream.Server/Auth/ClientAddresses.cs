using System.Net;
using System.Net.Sockets;

namespace SafeStream.Server.Auth;

/// <summary>
/// The key a client address is limited by: an IPv4 address as it is, an IPv6 address by its /64 (one subscriber's
/// network: a host that changes its interface id gets no new budget), an IPv4-mapped IPv6 address as IPv4.
/// </summary>
internal static class ClientAddresses
{
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    public static string Key(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Key(context.Connection.RemoteIpAddress);
    }
}
