using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using VideoGen.Queue;
using VideoGen.Server.Hosting;
using VideoGen.Server.Security;
using VideoGen.Server.Tests.Infrastructure;

namespace VideoGen.Server.Tests.Docs;

/// <summary>
/// What <c>videogen</c> takes from configuration, found by running its real service registration
/// (<see cref="ServiceRegistration.AddVideoGen"/>) over a configuration that records every read:
/// the options classes registered in DI (any <c>IConfigureOptions&lt;T&gt;</c> and kin of a VideoGen
/// type), the section each one is bound from (the section the binder lists while resolving it), the
/// keys their properties make, and the keys read directly (<c>configuration["…"]</c>,
/// <c>GetConnectionString</c>). Two passes turn on every optional part: one machine (SQLite, workers,
/// fal) and many machines (Redis queue, PostgreSQL, S3 media); a new optional part needs its switch here.
/// </summary>
internal sealed class VideoGenConfiguration
{
    /// <summary>
    /// Sections bound to a type outside the options system, so DI has nothing to find: the queue
    /// worker's options are bound from <c>VideoGen:Workers</c> inside its hosted service's factory.
    /// <see cref="StaleOutsideBindings"/> reports an entry that is no longer true.
    /// </summary>
    private static readonly (string Section, Type Type)[] BoundOutsideOptions = [("VideoGen:Workers", typeof(QueueWorkerOptions))];

    private static readonly Type[] OptionsServices =
        [typeof(IConfigureOptions<>), typeof(IPostConfigureOptions<>), typeof(IValidateOptions<>), typeof(IOptionsChangeTokenSource<>)];

    private static readonly string[] OurPrefixes = ["VideoGen:", "ConnectionStrings:"];

    private static readonly Lazy<Task<VideoGenConfiguration>> Discovered = new(DiscoverAsync);

    private VideoGenConfiguration(IReadOnlyList<OptionsKey> optionsKeys, IReadOnlyList<string> directReads, IReadOnlyList<string> staleOutsideBindings)
    {
        OptionsKeys = optionsKeys;
        DirectReads = directReads;
        StaleOutsideBindings = staleOutsideBindings;
    }

    /// <summary>Every key an options class binds (a key bound by two classes appears twice).</summary>
    public IReadOnlyList<OptionsKey> OptionsKeys { get; }

    /// <summary><c>VideoGen:</c> and <c>ConnectionStrings:</c> keys read other than by binding an options class.</summary>
    public IReadOnlyList<string> DirectReads { get; }

    /// <summary>One line per <see cref="BoundOutsideOptions"/> entry whose keys <c>videogen</c> no longer reads.</summary>
    public IReadOnlyList<string> StaleOutsideBindings { get; }

    /// <summary>Discovered once per test run (a few service providers, no I/O beyond a temp folder).</summary>
    public static Task<VideoGenConfiguration> Get() => Discovered.Value;

    private static async Task<VideoGenConfiguration> DiscoverAsync()
    {
        using var dir = new TempDir("videogen-config-doc");
        var fal = new Dictionary<string, string?> { ["VideoGen:DataDir"] = dir.Path, ["VideoGen:Providers:Fal:Key"] = "config-doc-test-key" };
        var oneMachine = await RunAsync(new(fal) { ["VideoGen:Workers:Enabled"] = "true" }, resolveHostedServices: true);
        var manyMachines = await RunAsync(
            new(fal)
            {
                ["VideoGen:Queue:Backend"] = "redis",
                ["ConnectionStrings:Redis"] = "127.0.0.1:1",
                ["VideoGen:Database:Provider"] = "postgres",
                ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Database=videogen",
                ["VideoGen:Media:Store"] = "s3",
                ["VideoGen:Media:S3:Bucket"] = "config-doc",
            },
            resolveHostedServices: false);

        var bindings = oneMachine.Bindings.Union(manyMachines.Bindings).ToList();
        var stale = new List<string>();
        foreach (var (section, type) in BoundOutsideOptions)
        {
            bindings.Add((section, type));
            var missing = OptionsKey.Bindable(section, type).Where(k => !k.PropertyPath.Contains(':', StringComparison.Ordinal))
                .Select(k => k.Key).Where(k => !oneMachine.Reads.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
            {
                stale.Add($"{type.Name} is listed as bound from {section}, but videogen never read {string.Join(", ", missing)}");
            }
        }

        var optionsKeys = bindings.SelectMany(b => OptionsKey.Bindable(b.Section, b.Type)).ToList();
        var binderLookups = bindings.SelectMany(b => OptionsKey.LookedUpByBinder(b.Section, b.Type)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var directReads = oneMachine.Reads.Concat(manyMachines.Reads)
            .Where(k => OurPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && !binderLookups.Contains(k))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new VideoGenConfiguration(optionsKeys, directReads, stale);
    }

    private static async Task<(IReadOnlyList<(string Section, Type Type)> Bindings, IReadOnlyList<string> Reads)> RunAsync(
        Dictionary<string, string?> settings, bool resolveHostedServices)
    {
        var source = new RecordingConfigurationSource(settings);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ((IConfigurationBuilder)builder.Configuration).Add(source);
        builder.AddVideoGen(runWorkers: true);
        // The web server's own protections bind their options too (VideoGenHost adds them for serve).
        builder.Services.AddVideoGenSecurity(builder.Configuration);

        var bindings = new List<(string, Type)>();
        foreach (var type in OptionsTypes(builder.Services))
        {
            // A fresh container per type, so what the binder lists belongs to this type alone.
            await using var services = builder.Services.BuildServiceProvider();
            var mark = source.Provider.ListedSectionCount;
            Resolve(type, services);
            bindings.AddRange(Outermost(source.Provider.SectionsListedSince(mark)).Select(section => (section, type)));
        }
        if (resolveHostedServices)
        {
            // The queue worker binds its options while its hosted service is built.
            await using var services = builder.Services.BuildServiceProvider();
            _ = services.GetServices<IHostedService>().ToList();
        }
        return (bindings, source.Provider.Reads);
    }

    private static IEnumerable<Type> OptionsTypes(IServiceCollection services) => services
        .Select(d => d.ServiceType)
        .Where(t => t.IsGenericType && OptionsServices.Contains(t.GetGenericTypeDefinition()))
        .Select(t => t.GetGenericArguments()[0])
        .Where(t => t.Namespace?.StartsWith("VideoGen.", StringComparison.Ordinal) == true)
        .Distinct();

    /// <summary>The listed sections not inside another listed one: where binding started.</summary>
    private static IEnumerable<string> Outermost(IReadOnlyList<string> sections) =>
        sections.Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(s => !sections.Any(o => s.StartsWith(o + ":", StringComparison.OrdinalIgnoreCase)));

    private static void Resolve(Type optionsType, IServiceProvider services)
    {
        try
        {
            typeof(VideoGenConfiguration).GetMethod(nameof(ResolveValue), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(optionsType).Invoke(null, [services]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static void ResolveValue<T>(IServiceProvider services) where T : class =>
        _ = services.GetRequiredService<IOptions<T>>().Value;
}
