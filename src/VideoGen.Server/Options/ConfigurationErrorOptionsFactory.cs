using Microsoft.Extensions.Options;

namespace VideoGen.Server.Options;

/// <summary>
/// The framework's options factory, except that an <see cref="InvalidOperationException"/> raised while options are
/// built from configuration (the binder's "Failed to convert configuration value …") surfaces as an
/// <see cref="OptionsValidationException"/>; see <see cref="UnreadableConfiguration"/>. Registered for every options type.
/// </summary>
internal sealed class ConfigurationErrorOptionsFactory<TOptions>(
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations)
    : IOptionsFactory<TOptions>
    where TOptions : class
{
    private readonly OptionsFactory<TOptions> _factory = new(setups, postConfigures, validations);

    public TOptions Create(string name)
    {
        try
        {
            return _factory.Create(name);
        }
        catch (InvalidOperationException e)
        {
            throw UnreadableConfiguration.Error(name, typeof(TOptions), e);
        }
    }
}
