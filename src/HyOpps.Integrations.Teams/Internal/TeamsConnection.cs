using Microsoft.Graph;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>What every Teams step works with: the Graph client registered by <c>AddTeams</c> and the settings, checked once per attempt.</summary>
internal sealed class TeamsConnection(GraphServiceClient graph, IOptions<TeamsOptions> options)
{
    public GraphServiceClient Graph { get; } = graph;

    public TeamsOptions Options { get; } = options.Value;

    /// <summary>Gets the settings; fails permanently, naming the settings to add, while Teams has no credentials.</summary>
    /// <param name="context">The attempt (unused: every Teams step shares one Graph client).</param>
    public TeamsOptions Open(StepContext context)
        => Options.IsConfigured ? Options : throw StepException.NotConfigured(Options.NotConfiguredMessage);
}
