using System.Net;
using System.Net.Sockets;

namespace VideoGen.Core.Media;

/// <summary>
/// Which IP addresses a result download may connect to: public unicast only. Loopback is allowed
/// only when explicitly configured (tests); private, link-local (cloud metadata at
/// 169.254.169.254), CGNAT, multicast, documentation and unspecified ranges never are.
/// Checked against the addresses DNS actually returned, right before connecting (SSRF).
/// </summary>
public static class OutboundAddressPolicy
{
    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback;
        }
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0 ||                                   // 0.0.0.0/8 "this network"
        b[0] == 10 ||                                  // private
        b[0] == 127 ||                                 // loopback
        (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||  // CGNAT 100.64/10
        (b[0] == 169 && b[1] == 254) ||                // link-local, cloud metadata
        (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||   // private
        (b[0] == 192 && b[1] == 0 && b[2] == 0) ||     // IETF protocol assignments
        (b[0] == 192 && b[1] == 0 && b[2] == 2) ||     // documentation
        (b[0] == 192 && b[1] == 88 && b[2] == 99) ||   // 6to4 relay
        (b[0] == 192 && b[1] == 168) ||                // private
        (b[0] == 198 && (b[1] == 18 || b[1] == 19)) || // benchmarking
        (b[0] == 198 && b[1] == 51 && b[2] == 100) ||  // documentation
        (b[0] == 203 && b[1] == 0 && b[2] == 113) ||   // documentation
        b[0] >= 224);                                  // multicast, reserved, broadcast

    private static bool IsPublicV6(IPAddress a)
    {
        if (a.Equals(IPAddress.IPv6None) || a.Equals(IPAddress.IPv6Any) || a.IsIPv6LinkLocal || a.IsIPv6SiteLocal || a.IsIPv6Multicast || a.IsIPv6UniqueLocal)
        {
            return false;
        }
        var b = a.GetAddressBytes();
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        {
            return false; // documentation 2001:db8::/32
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
        {
            // NAT64 64:ff9b::/96 embeds an IPv4 address: judge that one.
            return IsPublicV4([b[12], b[13], b[14], b[15]]);
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            // 6to4 2002::/16 embeds an IPv4 address.
            return IsPublicV4([b[2], b[3], b[4], b[5]]);
        }
        // Only global unicast 2000::/3.
        return (b[0] & 0xE0) == 0x20;
    }
}
