using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Shared;

/// <summary>
/// The start-up validation of an integration's options: the derived class adds one message per problem, each naming the full key
/// (<c>HyOpps:Slack:Timeout</c>) and the bad value (never a secret's); none is success.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal abstract class IntegrationOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Validate(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds a message to <paramref name="failures"/> for every setting of <paramref name="options"/> that is wrong.</summary>
    protected abstract void Validate(TOptions options, List<string> failures);
}
