using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VideoGen.Core.Providers.Local;

/// <summary>
/// Turns prompt + seed into an ffmpeg lavfi scene: a background (gradient, cellular automaton or
/// fractal), colours and a moving shape all derived from a hash, so the same input gives the same
/// clip and a different prompt a visibly different one. The prompt itself is drawn from a text
/// file (never spliced into the filter graph, so no escaping games are possible).
/// </summary>
public sealed record LocalScene(int Width, int Height, int DurationSeconds, int Fps, string Filter)
{
    public const int FramesPerSecond = 24;

    /// <summary>The file (relative to the render's working directory) holding the prompt text.</summary>
    public const string PromptFileName = "prompt.txt";

    public static LocalScene Create(string prompt, long? seed, int durationSeconds, string? aspectRatio, bool drawText, string? fontPath)
    {
        var (w, h) = Models.LocalModelSource.FrameSize(aspectRatio);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{prompt}\n{seed?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
        int Byte(int i) => hash[i];
        var hue = (Byte(0) << 8 | Byte(1)) % 360;
        var c0 = Hsv(hue, 0.75, 0.85);
        var c1 = Hsv((hue + 120 + Byte(2) % 120) % 360, 0.7, 0.6);
        var c2 = Hsv((hue + 200 + Byte(3) % 60) % 360, 0.5, 0.95);
        var sceneSeed = BitConverter.ToUInt32(hash, 4);
        var inv = CultureInfo.InvariantCulture;
        var d = durationSeconds.ToString(inv);

        // Backgrounds are computed at reduced size and scaled up: they are smooth, and it keeps a
        // render at a few CPU-seconds even on a busy machine.
        var background = (Byte(8) % 3) switch
        {
            0 => $"gradients=s={w / 2}x{h / 2}:r={FramesPerSecond}:d={d}:n=3:c0={c0}:c1={c1}:c2={c2}:type={Byte(9) % 4}:speed={(0.005 + Byte(10) / 255.0 * 0.03).ToString("0.0000", inv)}:seed={sceneSeed},scale={w}:{h}",
            1 => $"life=s={w / 4}x{h / 4}:r={FramesPerSecond}:mold={20 + Byte(9) % 40}:ratio={(0.1 + Byte(10) / 255.0 * 0.3).ToString("0.00", inv)}:seed={sceneSeed}:life_color={c2}:death_color={c1}:mold_color={c0},scale={w}:{h}:flags=neighbor,trim=duration={d}",
            _ => $"mandelbrot=s={w / 2}x{h / 2}:r={FramesPerSecond}:maxiter=120:start_scale={(1.5 + Byte(9) / 255.0).ToString("0.00", inv)}:end_scale={(0.05 + Byte(10) / 255.0 * 0.2).ToString("0.000", inv)}:end_pts={durationSeconds * 40},hue=h={hue},scale={w}:{h},trim=duration={d}",
        };

        // A square orbiting on a Lissajous path; speeds and phase from the hash.
        var size = Math.Min(w, h) / 6;
        var fx = (0.6 + Byte(11) / 255.0 * 1.6).ToString("0.000", inv);
        var fy = (0.6 + Byte(12) / 255.0 * 1.6).ToString("0.000", inv);
        var ph = (Byte(13) / 255.0 * Math.PI * 2).ToString("0.000", inv);
        var shape = $"drawbox=x='({w}-{size})/2*(1+sin(t*{fx}+{ph}))':y='({h}-{size})/2*(1+cos(t*{fy}))':w={size}:h={size}:color={c2}@0.85:t=fill";

        var filter = new StringBuilder(background).Append(",format=yuv420p,").Append(shape);
        if (drawText && fontPath is not null && IsPlainPath(fontPath))
        {
            var fontSize = Math.Max(14, Math.Min(w, h) / 16);
            filter.Append(",drawtext=fontfile=").Append(fontPath)
                .Append(":textfile=").Append(PromptFileName)
                .Append(":expansion=none:fontcolor=white:fontsize=").Append(fontSize.ToString(inv))
                .Append(":line_spacing=4:box=1:boxcolor=black@0.55:boxborderw=8:x=(w-text_w)/2:y=h-text_h-24");
            filter.Append(",drawtext=fontfile=").Append(fontPath)
                .Append(":text='local preview · seed ").Append(seed?.ToString(inv) ?? "none")
                .Append("':expansion=none:fontcolor=white@0.8:fontsize=").Append((fontSize * 2 / 3).ToString(inv)).Append(":x=12:y=12");
        }
        return new LocalScene(w, h, durationSeconds, FramesPerSecond, filter.ToString());
    }

    /// <summary>The prompt laid out for drawing: wrapped to the frame width, at most four lines.</summary>
    public static string WrapPrompt(string prompt, int width)
    {
        var maxChars = Math.Max(16, width / 16);
        var words = prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in words)
        {
            var w = word.Length > maxChars ? word[..(maxChars - 1)] + "…" : word;
            if (line.Length > 0 && line.Length + 1 + w.Length > maxChars)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0)
            {
                line.Append(' ');
            }
            line.Append(w);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }
        if (lines.Count > 4)
        {
            lines = lines.Take(4).ToList();
            lines[3] = lines[3].Length >= maxChars ? lines[3][..(maxChars - 1)] + "…" : lines[3] + "…";
        }
        return string.Join('\n', lines);
    }

    // Font paths go into the filter graph verbatim, so only plain characters are allowed.
    private static bool IsPlainPath(string path) =>
        path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_') && File.Exists(path);

    private static string Hsv(int hue, double s, double v)
    {
        var c = v * s;
        var x = c * (1 - Math.Abs(hue / 60.0 % 2 - 1));
        var m = v - c;
        var (r, g, b) = (hue / 60) switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return string.Create(CultureInfo.InvariantCulture, $"0x{(int)((r + m) * 255):X2}{(int)((g + m) * 255):X2}{(int)((b + m) * 255):X2}");
    }
}
