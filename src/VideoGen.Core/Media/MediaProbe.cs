namespace VideoGen.Core.Media;

/// <summary>The facts ffprobe reports about a stored video, as the Video row keeps them.</summary>
public sealed record MediaProbe(double DurationSeconds, int Width, int Height, string VideoCodec, long SizeBytes, string? FormatName);
