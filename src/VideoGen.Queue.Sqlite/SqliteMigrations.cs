using System.Globalization;
using Microsoft.Data.Sqlite;

namespace VideoGen.Queue.Sqlite;

/// <summary>
/// Applies the numbered <c>Sql/NNNN_name.sql</c> scripts embedded in this assembly, in order, each
/// once, recorded in <c>queue_migrations</c>. Safe when several processes open the file at once:
/// the check and the apply run in one <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
internal static class SqliteMigrations
{
    public static void Apply(SqliteConnection connection)
    {
        var scripts = Scripts();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
        try
        {
            Execute(connection, "CREATE TABLE IF NOT EXISTS queue_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL);");
            var applied = new HashSet<int>();
            using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT version FROM queue_migrations;";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var (version, name, sql) in scripts)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                Execute(connection, sql);
                using var record = connection.CreateCommand();
                record.CommandText = "INSERT INTO queue_migrations (version, name) VALUES ($v, $n);";
                record.Parameters.AddWithValue("$v", version);
                record.Parameters.AddWithValue("$n", name);
                record.ExecuteNonQuery();
            }

            Execute(connection, "COMMIT;");
        }
        catch
        {
            Execute(connection, "ROLLBACK;");
            throw;
        }
    }

    private static List<(int Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            const string Marker = ".Sql.";
            var at = resource.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[(at + Marker.Length)..^4];
            var digits = new string(name.TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length == 0)
            {
                throw new InvalidOperationException($"Embedded migration '{resource}' must start with its number, e.g. 0002_add_x.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            list.Add((int.Parse(digits, CultureInfo.InvariantCulture), name, text.ReadToEnd()));
        }

        if (list.Count == 0)
        {
            throw new InvalidOperationException("No embedded SQL migrations found in VideoGen.Queue.Sqlite.");
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
