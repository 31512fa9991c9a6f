namespace HyOpps.Integrations.Shared;

/// <summary>
/// Marks an integration step, a <c>public sealed partial class</c> implementing <c>IWorkflowStep&lt;TInput&gt;</c>: src/HyOpps.Integrations.Generators
/// writes its <c>const string Id</c>, its <c>[WorkflowStep(Id)]</c>, the connection field and internal constructor, and the public
/// <c>ExecuteAsync</c>, which checks the arguments and the <see cref="Required"/> input fields, opens the connection and calls the step's
/// own <c>private ValueTask&lt;StepResult&gt; RunAsync(TInput input, TOpened opened, StepContext context, CancellationToken cancellationToken)</c>,
/// where <c>TOpened</c> is what the connection's <c>Open(StepContext)</c> returns.
/// </summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
/// <param name="id">The step id, snake_case, for example <c>add_user_to_slack_group</c>.</param>
/// <param name="connectionType">
/// The integration's internal connection, or <see langword="null"/> for a step that writes its own constructor; then <c>RunAsync</c> has no
/// <c>opened</c> parameter.
/// </param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class HyOppsStepAttribute(string id, Type? connectionType = null) : Attribute
{
    public string Id { get; } = id;

    public Type? ConnectionType { get; } = connectionType;

    /// <summary>
    /// Gets or sets the input properties that must be given (<c>nameof(Input.GroupId)</c>): a string must not be blank and reaches
    /// <c>RunAsync</c> trimmed, an id (int) must be positive; otherwise the step fails permanently naming the field in snake_case
    /// (<c>group_id</c>) before the connection is opened.
    /// </summary>
    public string[] Required { get; set; } = [];

    /// <summary>
    /// Gets or sets a value indicating whether <c>ExecuteAsync</c> opens the connection before <c>RunAsync</c>; <see langword="false"/> for a
    /// step that can finish without it (then <c>RunAsync</c> has no <c>opened</c> parameter and opens <c>_connection</c> when needed). The default is <see langword="true"/>.
    /// </summary>
    public bool OpensConnection { get; set; } = true;
}
