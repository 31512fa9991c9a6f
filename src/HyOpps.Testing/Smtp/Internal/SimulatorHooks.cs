using System.Buffers;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace HyOpps.Testing.Smtp.Internal;

/// <summary>Routes SmtpServer's storage, filter and authentication hooks to the simulator.</summary>
internal sealed class SimulatorHooks(SmtpSimulator simulator) : IMessageStore, IMailboxFilter, IUserAuthenticator
{
    public Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        => simulator.SaveAsync(context, transaction, buffer, cancellationToken);

    public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox @from, int size, CancellationToken cancellationToken)
        => Task.FromResult(simulator.CanAcceptFrom(@from));

    public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox @from, CancellationToken cancellationToken)
        => Task.FromResult(simulator.CanDeliverTo(to));

    public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        => Task.FromResult(simulator.Authenticate(user, password));
}
