using System.Collections.Concurrent;
using StackExchange.Redis;

namespace VideoGen.Queue.Redis;

/// <summary>
/// Calls scripts by SHA (EVALSHA). Each script is loaded (SCRIPT LOAD) on first use; when Redis lost
/// its script cache (restart, failover, SCRIPT FLUSH) the NOSCRIPT answer triggers a reload and one retry.
/// </summary>
internal sealed class RedisScriptRunner(IConnectionMultiplexer redis)
{
    private readonly ConcurrentDictionary<string, byte[]> _shas = new(StringComparer.Ordinal);

    public async Task<RedisResult> EvaluateAsync(RedisScript script, RedisKey[] keys, RedisValue[] args)
    {
        var db = redis.GetDatabase();
        var sha = _shas.TryGetValue(script.Name, out var known) ? known : await LoadAsync(script).ConfigureAwait(false);
        try
        {
            return await db.ScriptEvaluateAsync(sha, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            sha = await LoadAsync(script).ConfigureAwait(false);
            return await db.ScriptEvaluateAsync(sha, keys, args).ConfigureAwait(false);
        }
    }

    /// <summary>Loads every script on every connected primary (used at start and by tests).</summary>
    public async Task LoadAllAsync()
    {
        foreach (var script in RedisScript.All)
        {
            await LoadAsync(script).ConfigureAwait(false);
        }
    }

    private async Task<byte[]> LoadAsync(RedisScript script)
    {
        byte[]? sha = null;
        foreach (var server in redis.GetServers())
        {
            if (server.IsConnected && !server.IsReplica)
            {
                sha = await server.ScriptLoadAsync(script.Text).ConfigureAwait(false);
            }
        }

        if (sha is null)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, $"No connected Redis primary to load script {script.Name}.", null, CommandStatus.Unknown);
        }

        _shas[script.Name] = sha;
        return sha;
    }
}
