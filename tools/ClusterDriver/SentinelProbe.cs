using System.Net.Sockets;
using System.Text;

namespace ClusterDriver;

/// <summary>Asks a sentinel which address it gives for the primary (<c>SENTINEL get-master-addr-by-name</c>).</summary>
public static class SentinelProbe
{
    /// <summary>"host:port" of the primary the sentinel reports, or null when it cannot be asked.</summary>
    public static async Task<string?> PrimaryAsync(string sentinel, string service, CancellationToken ct)
    {
        var (host, port) = (sentinel[..sentinel.LastIndexOf(':')], int.Parse(sentinel[(sentinel.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"SENTINEL get-master-addr-by-name {service}\r\n"), attempt.Token);
            var buffer = new byte[512];
            var text = new StringBuilder();
            while (text.ToString().Split("\r\n").Length < 6)
            {
                var read = await stream.ReadAsync(buffer, attempt.Token);
                if (read == 0)
                {
                    break;
                }
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var lines = text.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            return lines.Length >= 5 ? $"{lines[2]}:{lines[4]}" : null;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
