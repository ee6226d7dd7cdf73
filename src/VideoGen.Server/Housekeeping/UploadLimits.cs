using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Server.Data;
using VideoGen.Server.Options;

namespace VideoGen.Server.Housekeeping;

/// <summary>What an owner's stored uploads add up to.</summary>
public sealed record UploadUsage(int Count, long Bytes);

/// <summary>How many uploads an owner holds (count and bytes), for the per-owner quota.</summary>
public interface IUploadUsage
{
    Task<UploadUsage> GetAsync(string owner, CancellationToken ct);
}

/// <summary>
/// The owner's uploads as the app database records them (<c>uploads.OwnerId</c>), sized by the media store;
/// a recorded upload whose file is gone counts nothing.
/// </summary>
internal sealed class OwnerUploadUsage(IServiceScopeFactory scopes, IMediaStore media) : IUploadUsage
{
    public const string UploadsFolder = "uploads";

    public async Task<UploadUsage> GetAsync(string owner, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var keys = (await db.Uploads.AsNoTracking().Where(u => u.OwnerId == owner).Select(u => u.Key).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var files = (await media.ListAsync(UploadsFolder, ct)).Where(f => keys.Contains(f.Key)).ToList();
        return new UploadUsage(files.Count, files.Sum(f => f.SizeBytes));
    }
}

/// <summary>The verdict on one more upload: allowed, or the problem to answer.</summary>
public sealed record UploadVerdict(bool Allowed, string? Title = null, string? Detail = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The per-owner upload rate (fixed window per minute, from <see cref="UploadsOptions.PerMinute"/>)
/// and quota (<see cref="UploadsOptions.MaxBytesPerOwner"/>, <see cref="UploadsOptions.MaxCountPerOwner"/>).
/// </summary>
public sealed class UploadLimits : IDisposable
{
    private readonly UploadsOptions _options;
    private readonly IUploadUsage _usage;
    private readonly PartitionedRateLimiter<string> _rate;

    public UploadLimits(IOptions<UploadsOptions> options, IUploadUsage usage)
    {
        _options = options.Value;
        _usage = usage;
        var perMinute = _options.PerMinute;
        _rate = PartitionedRateLimiter.Create<string, string>(owner => RateLimitPartition.GetFixedWindowLimiter(owner, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Takes one upload from <paramref name="owner"/>'s rate; refused when the minute's uploads are used up.</summary>
    public UploadVerdict TakeRate(string owner)
    {
        using var lease = _rate.AttemptAcquire(owner);
        if (lease.IsAcquired)
        {
            return new UploadVerdict(true);
        }
        var retry = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        return new UploadVerdict(false, "Too many uploads", $"At most {_options.PerMinute} uploads per minute; try again shortly.", retry);
    }

    /// <summary>Whether <paramref name="owner"/> may store one more upload of <paramref name="sizeBytes"/>.</summary>
    public async Task<UploadVerdict> CheckQuotaAsync(string owner, long sizeBytes, CancellationToken ct)
    {
        var usage = await _usage.GetAsync(owner, ct);
        if (usage.Count + 1 > _options.MaxCountPerOwner)
        {
            return new UploadVerdict(false, "Upload quota reached", $"At most {_options.MaxCountPerOwner} uploads are kept; uploads no video uses are deleted after {_options.UnreferencedRetention}.");
        }
        if (usage.Bytes + sizeBytes > _options.MaxBytesPerOwner)
        {
            return new UploadVerdict(false, "Upload quota reached", $"Uploads may take at most {_options.MaxBytesPerOwner} bytes in all; uploads no video uses are deleted after {_options.UnreferencedRetention}.");
        }
        return new UploadVerdict(true);
    }

    public void Dispose() => _rate.Dispose();
}
