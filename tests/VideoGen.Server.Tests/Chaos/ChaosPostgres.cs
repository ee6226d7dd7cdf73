using Npgsql;

namespace VideoGen.Server.Tests.Chaos;

/// <summary>
/// A PostgreSQL database of its own for one chaos run (created by the run's first process when it
/// migrates), dropped on dispose. Needs VIDEOGEN_TEST_POSTGRES (scripts/test.sh starts PostgreSQL and
/// sets it); without it the test is skipped locally and fails under CI=true.
/// </summary>
public sealed class ChaosPostgres : IAsyncDisposable
{
    private readonly string _admin;

    private ChaosPostgres(string admin, string connection)
    {
        _admin = admin;
        ConnectionString = connection;
    }

    public string ConnectionString { get; }

    public static ChaosPostgres Create()
    {
        var admin = Environment.GetEnvironmentVariable("VIDEOGEN_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail("VIDEOGEN_TEST_POSTGRES is not set; scripts/test.sh starts PostgreSQL and sets it.");
            }
            Assert.Skip("VIDEOGEN_TEST_POSTGRES is not set (PostgreSQL not started).");
        }
        var name = $"videogen_chaos_{Guid.NewGuid():N}";
        // Three processes (and restarts) share the server with other tests: a bounded pool each.
        var connection = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
        return new ChaosPostgres(admin, connection);
    }

    public async ValueTask DisposeAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
