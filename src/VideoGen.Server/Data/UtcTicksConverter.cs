using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace VideoGen.Server.Data;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as UTC ticks. SQLite has no date type and EF cannot order
/// or compare DateTimeOffset text there; an integer does both exactly (cursor paging relies on it).
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
