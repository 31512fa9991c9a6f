using HyOpps.Workflows;

namespace HyOpps.Dashboard.Tests;

/// <summary>The input of the test workflows.</summary>
/// <param name="Email">The person's email.</param>
/// <param name="Note">Free text copied into step 2's output (attacker text in some tests).</param>
/// <param name="Fault">A key in <see cref="Faults"/> that makes step 2 fail while set.</param>
internal sealed record TestInput(string Email, string? Note = null, string? Fault = null);

/// <summary>The output of the test onboarding's validation step.</summary>
/// <param name="Email">The normalised email.</param>
internal sealed record ValidatedUser(string Email);

/// <summary>The typed input of the test onboarding's last step, mapped by the definition.</summary>
/// <param name="Recipient">Who gets the links.</param>
/// <param name="Link">The documentation link.</param>
internal sealed record ShareDocumentationInput(string Recipient, string Link);

/// <summary>A typed step, so that attempts record their input.</summary>
internal sealed class ShareDocumentationStep : IWorkflowStep<ShareDocumentationInput>
{
    public ValueTask<StepResult> ExecuteAsync(ShareDocumentationInput input, StepContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(StepResult.Succeeded(new { MessageId = "m-1" }));
}

/// <summary>A typed step that never finishes on its own, like one whose host dies under it.</summary>
internal sealed class WaitStep : IWorkflowStep<ShareDocumentationInput>
{
    public async ValueTask<StepResult> ExecuteAsync(ShareDocumentationInput input, StepContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return StepResult.Succeeded();
    }
}
