using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using VideoGen.Core.Media;
using VideoGen.Server.Options;

namespace VideoGen.Server.Housekeeping;

/// <summary>What an owner's stored uploads add up to.</summary>
public sealed record UploadUsage(int Count, long Bytes);

/// <summary>
/// How many uploads an owner holds. The default (<see cref="StoreUploadUsage"/>) counts every
/// upload in the media store, which is exact in single-user mode; once uploads record their owner,
/// a per-owner implementation replaces it.
/// </summary>
public interface IUploadUsage
{
    Task<UploadUsage> GetAsync(string owner, CancellationToken ct);
}

/// <inheritdoc cref="IUploadUsage"/>
internal sealed class StoreUploadUsage(IMediaStore media) : IUploadUsage
{
    public Task<UploadUsage> GetAsync(string owner, CancellationToken ct)
    {
        var files = media.List(UploadsFolder);
        return Task.FromResult(new UploadUsage(files.Count, files.Sum(f => f.SizeBytes)));
    }

    public const string UploadsFolder = "uploads";
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
