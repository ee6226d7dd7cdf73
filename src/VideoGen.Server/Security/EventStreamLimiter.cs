using System.Diagnostics.Metrics;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace VideoGen.Server.Security;

/// <summary>
/// Counts open Server-Sent Event streams per client and in total, so one client (or many) cannot hold
/// connections and database polling without bound. A stream holds its <see cref="Lease"/> for as long as its
/// request runs; the lease is given back when the request ends, however it ends. The count of open streams is the
/// gauge <c>videogen_sse_streams_open</c> (meter <see cref="MeterName"/>) and appears in <c>/health/ready</c> for admins.
/// </summary>
public sealed class EventStreamLimiter
{
    public const string MeterName = "VideoGen.Server";

    private readonly IOptionsMonitor<EventStreamOptions> _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private int _total;

    public EventStreamLimiter(IOptionsMonitor<EventStreamOptions> options, IMeterFactory meters)
    {
        _options = options;
        meters.Create(MeterName).CreateObservableUpDownCounter(
            "videogen_sse_streams_open", () => Open, unit: "{stream}", description: "Server-Sent Event streams open in this process.");
    }

    /// <summary>Streams open right now, all clients together.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Who a stream counts against: the signed-in user when there is one, else the remote address.</summary>
    public static string ClientOf(HttpContext context)
    {
        // Single-user mode's local owner is everyone who reaches the server: told apart by address, not as one user.
        if (context.User.Identity?.IsAuthenticated == true
            && (context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.User.Identity.Name) is { Length: > 0 } user
            && user != Accounts.LocalOwner.Id)
        {
            return "user:" + user;
        }
        return "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }

    /// <summary>A lease on one stream for <paramref name="client"/>, or null when a cap is reached.</summary>
    public Lease? TryAcquire(string client)
    {
        var limits = _options.CurrentValue;
        lock (_gate)
        {
            var mine = _perClient.GetValueOrDefault(client);
            if (_total >= limits.MaxStreams || mine >= limits.MaxStreamsPerClient)
            {
                return null;
            }
            _perClient[client] = mine + 1;
            _total++;
            return new Lease(this, client);
        }
    }

    private void Release(string client)
    {
        lock (_gate)
        {
            _total--;
            var left = _perClient[client] - 1;
            if (left == 0)
            {
                _perClient.Remove(client);
            }
            else
            {
                _perClient[client] = left;
            }
        }
    }

    /// <summary>One open stream; disposing it (once or more) gives the slot back.</summary>
    public sealed class Lease : IDisposable
    {
        private EventStreamLimiter? _owner;
        private readonly string _client;

        internal Lease(EventStreamLimiter owner, string client)
        {
            _owner = owner;
            _client = client;
        }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(_client);
    }
}
