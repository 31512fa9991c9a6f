using System.Buffers;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HyOpps.Testing.Smtp.Internal;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServerHost = SmtpServer.SmtpServer;
using SmtpServiceProvider = SmtpServer.ComponentModel.ServiceProvider;

namespace HyOpps.Testing.Smtp;

/// <summary>A real SMTP server on 127.0.0.1 with an ephemeral port that stores what it accepts, for tests and sandboxes.</summary>
/// <remarks>
/// Built on the SmtpServer package. Offers optional authentication and TLS (STARTTLS or implicit, with a self-signed
/// certificate made in code), and scripted failures: rejected senders or recipients, temporary failures of the next
/// messages, a held or dropped <c>QUIT</c> (<see cref="HoldQuit"/>, <see cref="DropConnectionOnQuit"/>), and
/// <see cref="StopAsync"/> followed by <see cref="StartAsync"/> on the same port to simulate an outage.
/// </remarks>
public sealed class SmtpSimulator : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _sync = new();
    private readonly List<ReceivedEmail> _messages = [];
    private readonly List<(int Count, TaskCompletionSource<IReadOnlyList<ReceivedEmail>> Signal)> _waiters = [];
    private readonly Dictionary<string, SmtpResponse> _rejectedRecipients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SmtpResponse> _rejectedSenders = new(StringComparer.OrdinalIgnoreCase);
    private readonly X509Certificate2? _generatedCertificate;
    private SmtpResponse? _messageFailure;
    private int _messageFailuresLeft;
    private int _sessionCount;
    private int _failedAuthentications;
    private CancellationTokenSource? _stopping;
    private Task? _serverTask;
    private TaskCompletionSource? _quitHold;
    private TaskCompletionSource _quitReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _dropOnQuit;

    /// <summary>Initializes a new instance of the <see cref="SmtpSimulator"/> class without authentication or TLS.</summary>
    public SmtpSimulator()
        : this(new SmtpSimulatorOptions())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SmtpSimulator"/> class.</summary>
    /// <param name="options">Authentication and TLS settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="SmtpSimulatorOptions.UserName"/> is set without a password.</exception>
    public SmtpSimulator(SmtpSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ServerName, nameof(options));
        if (options.UserName is not null && options.Password is null)
        {
            throw new ArgumentException("SmtpSimulatorOptions.Password is required when UserName is set.", nameof(options));
        }

        Options = options;
        if (options.Tls != SmtpSimulatorTls.None && options.Certificate is null)
        {
            _generatedCertificate = SelfSignedCertificate.Create(options.ServerName, TimeProvider.System);
        }
    }

    /// <summary>Gets the settings the simulator was created with.</summary>
    public SmtpSimulatorOptions Options { get; }

    /// <summary>Gets the host to connect to: <c>127.0.0.1</c>.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Gets the port; chosen by the operating system at the first start and kept across restarts (0 before the first start).</summary>
    public int Port { get; private set; }

    /// <summary>Gets a value indicating whether the server accepts connections.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_sync)
            {
                return _serverTask is not null;
            }
        }
    }

    /// <summary>Gets the user name the server accepts, or <see langword="null"/> when it needs no authentication.</summary>
    public string? UserName => Options.UserName;

    /// <summary>Gets the password the server accepts, or <see langword="null"/>.</summary>
    public string? Password => Options.Password;

    /// <summary>Gets the certificate the server presents, or <see langword="null"/> when TLS is off.</summary>
    public X509Certificate2? Certificate => Options.Certificate ?? _generatedCertificate;

    /// <summary>Gets the messages accepted so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedEmail> Messages
    {
        get
        {
            lock (_sync)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Gets how many SMTP sessions (connections) the server has accepted.</summary>
    public int SessionCount => Volatile.Read(ref _sessionCount);

    /// <summary>Gets how many authentication attempts the server rejected.</summary>
    public int FailedAuthentications => Volatile.Read(ref _failedAuthentications);

    /// <summary>Starts the server, or restarts it on the same port after <see cref="StopAsync"/>.</summary>
    /// <param name="cancellationToken">The token to cancel start-up.</param>
    /// <returns>A task that completes once the server listens.</returns>
    /// <exception cref="InvalidOperationException">The server is running already, or could not listen.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var stopping = new CancellationTokenSource();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listenerFactory = new EndpointListenerFactory();
        listenerFactory.EndpointStarted += (_, e) => listening.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var certificate = Certificate;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(Options.ServerName)
            .CommandWaitTimeout(TimeSpan.FromSeconds(30))
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))
                    .IsSecure(Options.Tls == SmtpSimulatorTls.Implicit)
                    .AuthenticationRequired(Options.UserName is not null)
                    .AllowUnsecureAuthentication(Options.Tls == SmtpSimulatorTls.None)
                    .SessionTimeout(TimeSpan.FromSeconds(30));
                if (certificate is not null)
                {
                    endpoint.Certificate(certificate).SupportedSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                }
            })
            .Build();

        var hooks = new SimulatorHooks(this);
        var services = new SmtpServiceProvider();
        services.Add(listenerFactory);
        services.Add((SmtpServer.Storage.IMessageStore)hooks);
        services.Add((SmtpServer.Storage.IMailboxFilter)hooks);
        if (Options.UserName is not null)
        {
            services.Add((SmtpServer.Authentication.IUserAuthenticator)hooks);
        }

        var server = new SmtpServerHost(serverOptions, services);
        server.SessionCreated += (_, e) =>
        {
            Interlocked.Increment(ref _sessionCount);
            e.Context.CommandExecuting += (_, command) =>
            {
                if (command.Command is QuitCommand)
                {
                    OnQuit();
                }
            };
        };

        lock (_sync)
        {
            if (_serverTask is not null)
            {
                stopping.Dispose();
                throw new InvalidOperationException("The SMTP simulator is running already.");
            }

            _stopping = stopping;
            _serverTask = Task.Run(() => server.StartAsync(stopping.Token), CancellationToken.None);
        }

        var serverTask = _serverTask;
        var first = await Task.WhenAny(listening.Task, serverTask).WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
        if (first != listening.Task)
        {
            await StopAsync().ConfigureAwait(false);
            var reason = serverTask.Exception?.GetBaseException().Message ?? "the server stopped at once";
            throw new InvalidOperationException($"The SMTP simulator could not listen on 127.0.0.1:{Port}: {reason}", serverTask.Exception?.GetBaseException());
        }

        Port = await listening.Task.ConfigureAwait(false);
    }

    /// <summary>Stops the server: connections are refused until <see cref="StartAsync"/> is called again; stored messages are kept.</summary>
    /// <returns>A task that completes once the server has stopped listening.</returns>
    public async Task StopAsync()
    {
        CancellationTokenSource? stopping;
        Task? serverTask;
        lock (_sync)
        {
            stopping = _stopping;
            serverTask = _serverTask;
            _stopping = null;
            _serverTask = null;
        }

        if (stopping is null || serverTask is null)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await serverTask.WaitAsync(StartTimeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The expected way for SmtpServer to finish once cancelled.
        }
        finally
        {
            stopping.Dispose();
        }
    }

    /// <summary>Makes <c>RCPT TO</c> for an address fail with the given reply, until <see cref="ClearFailures"/>.</summary>
    /// <param name="address">The recipient address, compared case-insensitively.</param>
    /// <param name="replyCode">The SMTP reply code. The default value is 550.</param>
    /// <param name="text">The reply text. The default value is "5.1.1 Mailbox unavailable: no such user".</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is empty, or <paramref name="replyCode"/> is not 400-599.</exception>
    public void RejectRecipient(string address, int replyCode = 550, string? text = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var response = CreateResponse(replyCode, text ?? "5.1.1 Mailbox unavailable: no such user");
        lock (_sync)
        {
            _rejectedRecipients[address.Trim()] = response;
        }
    }

    /// <summary>Makes <c>MAIL FROM</c> for an address fail with the given reply, until <see cref="ClearFailures"/>.</summary>
    /// <param name="address">The sender address, compared case-insensitively.</param>
    /// <param name="replyCode">The SMTP reply code. The default value is 553.</param>
    /// <param name="text">The reply text. The default value is "5.7.1 Sender address rejected: not owned by user".</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is empty, or <paramref name="replyCode"/> is not 400-599.</exception>
    public void RejectSender(string address, int replyCode = 553, string? text = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var response = CreateResponse(replyCode, text ?? "5.7.1 Sender address rejected: not owned by user");
        lock (_sync)
        {
            _rejectedSenders[address.Trim()] = response;
        }
    }

    /// <summary>Makes the next messages fail at the end of <c>DATA</c> with the given reply (a temporary 451 by default).</summary>
    /// <param name="count">How many messages fail.</param>
    /// <param name="replyCode">The SMTP reply code. The default value is 451.</param>
    /// <param name="text">The reply text. The default value is "4.3.0 Temporary failure, try again later".</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="replyCode"/> is not 400-599.</exception>
    public void FailNextMessages(int count, int replyCode = 451, string? text = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var response = CreateResponse(replyCode, text ?? "4.3.0 Temporary failure, try again later");
        lock (_sync)
        {
            _messageFailure = response;
            _messageFailuresLeft = count;
        }
    }

    /// <summary>
    /// Holds the reply to every <c>QUIT</c> from now on until <see cref="ReleaseQuit"/>: the message is accepted and stored, and the
    /// client waits for the goodbye, as with a server slow to close. <see cref="QuitReceivedAsync"/> tells when a client is waiting.
    /// </summary>
    public void HoldQuit()
    {
        lock (_sync)
        {
            _quitHold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _quitReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits until a client sent <c>QUIT</c> while <see cref="HoldQuit"/> holds the reply.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">The token to cancel the wait.</param>
    /// <returns>A task that completes once a <c>QUIT</c> is being held.</returns>
    /// <exception cref="TimeoutException">No <c>QUIT</c> arrived in time.</exception>
    public Task QuitReceivedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task received;
        lock (_sync)
        {
            received = _quitReceived.Task;
        }

        return received.WaitAsync(timeout, cancellationToken);
    }

    /// <summary>Answers the held <c>QUIT</c> commands, or drops their connections without an answer, and stops holding.</summary>
    /// <param name="dropConnection">Whether to close the connection instead of answering <c>221</c>.</param>
    public void ReleaseQuit(bool dropConnection = false)
    {
        TaskCompletionSource? hold;
        lock (_sync)
        {
            hold = _quitHold;
            _quitHold = null;
            _dropOnQuit = dropConnection;
        }

        hold?.TrySetResult();
    }

    /// <summary>Gets or sets a value indicating whether a <c>QUIT</c> is answered by closing the connection without a reply. The default value is <see langword="false"/>.</summary>
    public bool DropConnectionOnQuit
    {
        get
        {
            lock (_sync)
            {
                return _dropOnQuit;
            }
        }

        set
        {
            lock (_sync)
            {
                _dropOnQuit = value;
            }
        }
    }

    /// <summary>Removes every scripted failure.</summary>
    public void ClearFailures()
    {
        lock (_sync)
        {
            _rejectedRecipients.Clear();
            _rejectedSenders.Clear();
            _messageFailure = null;
            _messageFailuresLeft = 0;
        }
    }

    // SmtpServer raises CommandExecuting synchronously before it answers, so blocking here delays the 221 (a test server only).
    private void OnQuit()
    {
        Task? hold;
        lock (_sync)
        {
            hold = _quitHold?.Task;
            if (hold is not null)
            {
                _quitReceived.TrySetResult();
            }
        }

        if (hold is not null && !hold.Wait(TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException("A held QUIT was not released within a minute.");
        }

        if (DropConnectionOnQuit)
        {
            // An exception from the event faults the session: SmtpServer closes the connection without a reply.
            throw new IOException("The SMTP simulator drops the connection instead of answering QUIT.");
        }
    }

    /// <summary>Forgets the messages received so far.</summary>
    public void ClearMessages()
    {
        lock (_sync)
        {
            _messages.Clear();
        }
    }

    /// <summary>Waits until at least one message has arrived and returns the first.</summary>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">The token to cancel the wait.</param>
    /// <returns>The first message received.</returns>
    /// <exception cref="TimeoutException">No message arrived in time.</exception>
    public async Task<ReceivedEmail> WaitForMessageAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
        => (await WaitForMessagesAsync(1, timeout, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived, signalled by the server as each is stored.</summary>
    /// <param name="count">How many messages to wait for.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="cancellationToken">The token to cancel the wait.</param>
    /// <returns>Every message received so far.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="TimeoutException">Fewer messages arrived in time.</exception>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForMessagesAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var signal = new TaskCompletionSource<IReadOnlyList<ReceivedEmail>>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_messages.Count >= count)
            {
                return [.. _messages];
            }

            _waiters.Add((count, signal));
        }

        try
        {
            return await signal.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The SMTP simulator received {Messages.Count} of {count} expected message(s) within {timeout}.");
        }
        finally
        {
            lock (_sync)
            {
                _waiters.RemoveAll(w => w.Signal == signal);
            }
        }
    }

    /// <summary>Stops the server and releases the generated certificate.</summary>
    /// <returns>A task that completes once the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _generatedCertificate?.Dispose();
    }

    internal bool CanAcceptFrom(IMailbox from)
    {
        lock (_sync)
        {
            if (_rejectedSenders.TryGetValue(from.AsAddress(), out var response))
            {
                throw new SmtpResponseException(response);
            }
        }

        return true;
    }

    internal bool CanDeliverTo(IMailbox to)
    {
        lock (_sync)
        {
            if (_rejectedRecipients.TryGetValue(to.AsAddress(), out var response))
            {
                throw new SmtpResponseException(response);
            }
        }

        return true;
    }

    internal bool Authenticate(string user, string password)
    {
        var ok = string.Equals(user, Options.UserName, StringComparison.Ordinal)
            && string.Equals(password, Options.Password, StringComparison.Ordinal);
        if (!ok)
        {
            Interlocked.Increment(ref _failedAuthentications);
        }

        return ok;
    }

    internal async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_messageFailuresLeft > 0 && _messageFailure is { } failure)
            {
                _messageFailuresLeft--;
                return failure;
            }
        }

        using var stream = new MemoryStream(buffer.ToArray(), writable: false);
        var message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
        var received = new ReceivedEmail(
            message,
            transaction.From.AsAddress(),
            [.. transaction.To.Select(static to => to.AsAddress())],
            context.Authentication.IsAuthenticated ? context.Authentication.User : null,
            context.Pipe?.IsSecure ?? false);

        List<TaskCompletionSource<IReadOnlyList<ReceivedEmail>>> ready;
        IReadOnlyList<ReceivedEmail> snapshot;
        lock (_sync)
        {
            _messages.Add(received);
            snapshot = [.. _messages];
            ready = [.. _waiters.Where(w => w.Count <= _messages.Count).Select(w => w.Signal)];
        }

        foreach (var signal in ready)
        {
            signal.TrySetResult(snapshot);
        }

        return SmtpResponse.Ok;
    }

    private static SmtpResponse CreateResponse(int replyCode, string text)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replyCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replyCode, 599);
        return new SmtpResponse((SmtpReplyCode)replyCode, text);
    }
}
