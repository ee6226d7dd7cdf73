namespace ClusterDriver;

/// <summary>What scripts/cluster.sh tells the driver: where each host is, and where the faults and logs are.</summary>
public sealed class DriverOptions
{
    public int Videos { get; private set; } = 200;

    public Uri LoadBalancer { get; private set; } = null!;

    public List<Uri> Apis { get; } = [];

    public Uri FakeFal { get; private set; } = null!;

    public string Sentinel { get; private set; } = "";

    /// <summary>host:port of the object store, to tell media read from it from media the API answered itself.</summary>
    public string ObjectStoreAuthority { get; private set; } = "";

    public string RedisService { get; private set; } = "";

    public string FaultCommand { get; private set; } = "";

    public string State { get; private set; } = "";

    public string Logs { get; private set; } = "";

    public string? LedgerPath { get; private set; }

    /// <summary>Videos held open by SSE clients through the load balancer while an API host stops.</summary>
    public int SseClients { get; private set; } = 6;

    /// <summary>How long worker2's link stays cut.</summary>
    public TimeSpan PartitionLength { get; private set; } = TimeSpan.FromSeconds(30);

    public static DriverOptions Parse(string[] args)
    {
        var o = new DriverOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            i++;
            switch (args[i - 1])
            {
                case "--videos": o.Videos = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--lb": o.LoadBalancer = new Uri(value); break;
                case "--api": o.Apis.Add(new Uri(value)); break;
                case "--fakefal": o.FakeFal = new Uri(value); break;
                case "--sentinel": o.Sentinel = value; break;
                case "--object-store": o.ObjectStoreAuthority = value; break;
                case "--redis-service": o.RedisService = value; break;
                case "--fault-command": o.FaultCommand = value; break;
                case "--state": o.State = value; break;
                case "--logs": o.Logs = value; break;
                case "--ledger": o.LedgerPath = value; break;
                case "--sse-clients": o.SseClients = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--partition-seconds": o.PartitionLength = TimeSpan.FromSeconds(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"unknown argument {args[i - 1]}");
            }
        }
        if (o.LoadBalancer is null || o.Apis.Count != 2 || o.FakeFal is null || o.FaultCommand.Length == 0 || o.State.Length == 0)
        {
            throw new ArgumentException("--lb, two --api, --fakefal, --fault-command and --state are required");
        }
        return o;
    }
}
