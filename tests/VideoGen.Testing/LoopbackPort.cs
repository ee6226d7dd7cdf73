using System.Net;
using System.Net.Sockets;

namespace VideoGen.Testing;

/// <summary>Ports on 127.0.0.1 for servers that must know their address before they start.</summary>
public static class LoopbackPort
{
    /// <summary>A port that was free a moment ago (the OS picked it; another process could take it before use).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
