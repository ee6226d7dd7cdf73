using Amazon.S3;
using VideoGen.Media.S3;

namespace VideoGen.Server.Tests.Infrastructure;

/// <summary>One s3rver per test class (tests use distinct keys), with a client of it.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public S3rverServer Server { get; private set; } = null!;

    public ValueTask InitializeAsync() => InitializeCoreAsync();

    /// <summary>Options of a store on this server; <paramref name="serve"/> is redirect or stream.</summary>
    public S3MediaOptions Options(string tempDir, string serve = S3MediaOptions.Redirect, string prefix = "") => new()
    {
        Bucket = S3rverServer.Bucket,
        Endpoint = Server.Endpoint,
        ForcePathStyle = true,
        Serve = serve,
        Prefix = prefix,
        TempDir = tempDir,
    };

    /// <summary>A store on this server, built the way the registration builds it (default credential chain).</summary>
    public S3MediaStore Store(string tempDir, string serve = S3MediaOptions.Redirect, string prefix = "")
    {
        var options = Options(tempDir, serve, prefix);
        return new S3MediaStore(S3MediaServiceCollectionExtensions.CreateClient(options), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System);
    }

    public IAmazonS3 Client() => S3MediaServiceCollectionExtensions.CreateClient(Options(Path.GetTempPath()));

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    private async ValueTask InitializeCoreAsync()
    {
        S3rverServer.UseCredentialsInThisProcess();
        Server = await S3rverServer.StartAsync(TestContext.Current.CancellationToken);
    }
}
