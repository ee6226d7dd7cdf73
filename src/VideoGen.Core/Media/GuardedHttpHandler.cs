using System.Net;
using System.Net.Sockets;

namespace VideoGen.Core.Media;

/// <summary>Thrown from the connect step when every resolved address is off limits.</summary>
public sealed class BlockedAddressException(string message) : Exception(message);

/// <summary>
/// A <see cref="SocketsHttpHandler"/> whose connect step resolves the host itself and refuses to
/// open a socket if any resolved address fails <see cref="OutboundAddressPolicy"/>. Because the
/// check runs on the addresses actually connected to, DNS tricks (a public name pointing at
/// 127.0.0.1 or 169.254.169.254) and IP literals are caught alike, before any byte is sent.
/// </summary>
public static class GuardedHttpHandler
{
    public static SocketsHttpHandler Create(bool allowLoopback) => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(15),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, ct);
            if (addresses.Length == 0)
            {
                throw new BlockedAddressException($"'{host}' did not resolve to any address.");
            }
            var blocked = addresses.FirstOrDefault(a => !OutboundAddressPolicy.IsAllowed(a, allowLoopback));
            if (blocked is not null)
            {
                throw new BlockedAddressException($"Refusing to connect to '{host}': it resolves to {blocked}, which is not a public address.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
