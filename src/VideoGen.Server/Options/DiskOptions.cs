using System.ComponentModel.DataAnnotations;

namespace VideoGen.Server.Options;

/// <summary>Settings under <c>VideoGen:Disk</c>: the free space below which no new work is accepted.</summary>
public sealed class DiskOptions
{
    public const string Section = "VideoGen:Disk";

    /// <summary>
    /// Free bytes the volumes of DataDir and the media store must keep. Below it, new videos and
    /// uploads are refused with 503 and <c>/health/ready</c> reports unhealthy, instead of SQLite
    /// writes failing halfway; 0 turns the check off. <value>The default value is 512 MiB.</value>
    /// </summary>
    [Range(0L, long.MaxValue, ErrorMessage = "VideoGen:Disk:MinFreeBytes must be 0 or more.")]
    public long MinFreeBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long one measurement of free space is reused. <value>The default value is 5 seconds.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "VideoGen:Disk:CheckInterval must be from 00:00:00 to 00:10:00.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
