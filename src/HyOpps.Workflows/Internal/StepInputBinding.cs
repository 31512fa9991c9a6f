using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyOpps.Workflows.Internal;

/// <summary>How a typed step gets its input at each attempt: an operator's override, the definition's mapping, or the workflow input.</summary>
internal abstract class StepInputBinding
{
    public abstract Type InputType { get; }

    public string? SkipReason { get; protected set; }

    public abstract bool HasCondition { get; }

    public static StepInputBinding? For(Type stepType)
    {
        var inputs = stepType.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWorkflowStep<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToArray();
        return inputs.Length == 1
            ? (StepInputBinding)Activator.CreateInstance(typeof(StepInputBinding<>).MakeGenericType(inputs[0]))!
            : null;
    }

    /// <summary>Resolves this attempt's input; any failure is a permanent error naming the step.</summary>
    public async ValueTask<object> ResolveAsync(StepContext context, bool overridden, CancellationToken cancellationToken)
    {
        try
        {
            return await ResolveCoreAsync(context, overridden, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the mapping returned null.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StepException)
        {
            var source = overridden ? "the operator's input override" : "its input mapping";
            throw StepException.Permanent(
                $"Step '{context.StepId}' could not get its input ({InputType.Name}) from {source}: {ex.Message}", StepErrorTypes.InvalidInput, ex);
        }
    }

    /// <summary>Evaluates the definition's skip rule on the mapped input (and, for an asynchronous rule, current data).</summary>
    public async ValueTask<bool> ShouldRunAsync(object input, StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await ShouldRunCoreAsync(input, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not StepException)
        {
            throw StepException.Permanent($"Step '{context.StepId}' condition failed: {ex.Message}", StepErrorTypes.Permanent, ex);
        }
    }

    public JsonNode? SerializeToNode(object input) => JsonSerializer.SerializeToNode(input, InputType, HyOppsJson.SerializerOptions);

    public abstract ValueTask<StepResult> InvokeAsync(IWorkflowStep step, object input, StepContext context, CancellationToken cancellationToken);

    protected abstract ValueTask<object?> ResolveCoreAsync(StepContext context, bool overridden, CancellationToken cancellationToken);

    protected abstract ValueTask<bool> ShouldRunCoreAsync(object input, StepContext context, CancellationToken cancellationToken);
}

/// <summary>The binding of steps taking <typeparamref name="TInput"/>.</summary>
internal sealed class StepInputBinding<TInput> : StepInputBinding
    where TInput : class
{
    private Func<StepContext, CancellationToken, ValueTask<TInput>>? _map;
    private Func<TInput, StepContext, CancellationToken, ValueTask<bool>>? _condition;

    public override Type InputType => typeof(TInput);

    public override bool HasCondition => _condition is not null;

    public void SetMap(Func<StepContext, CancellationToken, ValueTask<TInput>> map) => _map = map;

    public void SetCondition(Func<TInput, StepContext, CancellationToken, ValueTask<bool>> condition, string reason)
    {
        _condition = condition;
        SkipReason = reason;
    }

    public override ValueTask<StepResult> InvokeAsync(IWorkflowStep step, object input, StepContext context, CancellationToken cancellationToken)
        => ((IWorkflowStep<TInput>)step).ExecuteAsync((TInput)input, context, cancellationToken);

    protected override async ValueTask<object?> ResolveCoreAsync(StepContext context, bool overridden, CancellationToken cancellationToken)
        => overridden || _map is null ? context.GetInput<TInput>() : await _map(context, cancellationToken).ConfigureAwait(false);

    protected override ValueTask<bool> ShouldRunCoreAsync(object input, StepContext context, CancellationToken cancellationToken)
        => _condition is null ? ValueTask.FromResult(true) : _condition((TInput)input, context, cancellationToken);
}
