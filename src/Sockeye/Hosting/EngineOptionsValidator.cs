using Microsoft.Extensions.Options;
using Sockeye.Engine;

namespace Sockeye.Hosting;

/// <summary>Fails start-up with a precise message when options are invalid.</summary>
internal sealed class EngineOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : EngineOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        options.Validate() is { } failure ? ValidateOptionsResult.Fail(failure) : ValidateOptionsResult.Success;
}
