namespace VideoGen.Bench.InFlight;

/// <summary>Bytes of the SQLite files in the DataDir (app database and queue, with their WAL and shared-memory files).</summary>
internal static class StoreSize
{
    public static long Bytes(string dataDir)
    {
        long total = 0;
        foreach (var file in Directory.EnumerateFiles(dataDir, "*.db*", SearchOption.TopDirectoryOnly))
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (IOException)
            {
                // A WAL file removed at a checkpoint between listing and reading: it holds nothing now.
            }
        }

        return total;
    }
}
