using Microsoft.Extensions.Options;

namespace VideoGen.Server.Options;

/// <summary>
/// Makes a configuration value that cannot be read a configuration error by type. The configuration binder (and the
/// options it fills: ours, VideoGen.Core's, the framework's) reports a value it cannot convert — <c>abc</c> for a
/// number, say — as a plain <see cref="InvalidOperationException"/>; this turns it into the
/// <see cref="OptionsValidationException"/> every other invalid setting is, with the binder's message (which names
/// the key and the value), so the process reports it like any other and exits with the configuration exit code.
/// </summary>
internal static class UnreadableConfiguration
{
    /// <summary>The configuration error for options of <paramref name="type"/> that <paramref name="failure"/> kept from being built.</summary>
    public static OptionsValidationException Error(string name, Type type, InvalidOperationException failure) =>
        new(name, type, [failure.Message]);
}
