using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HyOpps.Integrations.Email.Internal;
using HyOpps.Testing.Smtp;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HyOpps.Integrations.Email.Tests;

public sealed class ShareDocumentationStepTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_DocumentationLinks_EmailArrivesWithFromToSubjectBodiesAndLinks()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var result = await host.Step.ExecuteAsync(context, Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var from = Assert.Single(email.Message.From.Mailboxes);
        Assert.Equal("HyOpps", from.Name);
        Assert.Equal("noreply@hyopps.test", from.Address);
        var to = Assert.Single(email.Message.To.Mailboxes);
        Assert.Equal("Jane Doe", to.Name);
        Assert.Equal("jane.doe@partner.test", to.Address);
        Assert.Equal(["jane.doe@partner.test"], email.EnvelopeRecipients);
        Assert.Equal("noreply@hyopps.test", email.EnvelopeFrom);
        Assert.Equal("Your Acme Partners documentation", email.Subject);
        Assert.NotNull(email.TextBody);
        Assert.NotNull(email.HtmlBody);
        Assert.Contains("Acme Partners", email.TextBody);
        Assert.Contains("Getting started: https://docs.acme.test/start", email.TextBody);
        Assert.Contains("API reference: https://docs.acme.test/api?v=2&lang=en", email.TextBody);
        Assert.Contains("<strong>Acme Partners</strong>", email.HtmlBody);
        Assert.Contains("<a href=\"https://docs.acme.test/start\">Getting started</a>", email.HtmlBody);
        Assert.Contains("<a href=\"https://docs.acme.test/api?v=2&amp;lang=en\">API reference</a>", email.HtmlBody);
        Assert.Equal("multipart/alternative", email.Message.Body?.ContentType.MimeType);

        var output = result.Output!;
        Assert.Equal(email.MessageId, (string?)output["message_id"]);
        Assert.Equal("jane.doe@partner.test", (string?)output["recipients"]![0]);
        Assert.EndsWith("@hyopps.test", email.MessageId);
    }

    [Fact]
    public async Task ExecuteAsync_HtmlInOrgAndUserValues_ArrivesEncoded()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        const string evilOrg = "<script>alert('x')</script> & \"Co\"";
        var input = EmailTestHost.Input(evilOrg, [new DocumentationEmailLink("<img src=x onerror=alert(1)>", "https://docs.acme.test/a\"onmouseover=\"alert(1)")]);
        input = input with { FirstName = "<b>Jane</b>" };

        await host.Step.ExecuteAsync(host.Context(input), Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        var html = email.HtmlBody!;
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<b>Jane", html);
        Assert.DoesNotContain("\"onmouseover", html);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("&lt;b&gt;Jane&lt;/b&gt;", html);
        Assert.Contains(evilOrg, email.TextBody);
        Assert.Equal($"Your {evilOrg} documentation", email.Subject);
    }

    [Fact]
    public async Task ExecuteAsync_AuthenticationRequired_SendsAfterAuthenticating()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { UserName = "mailer", Password = "s3cret-Passw0rd" });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);

        await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal("mailer", email.AuthenticatedUser);
        Assert.DoesNotContain("s3cret-Passw0rd", host.AllLogText());
    }

    [Fact]
    public async Task ExecuteAsync_WrongPassword_FailsPermanentlyWithoutThePasswordAnywhere()
    {
        const string wrong = "Wr0ng-Passw0rd-9f1c";
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { UserName = "mailer", Password = "right-password" });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => o.Password = wrong);
        var context = host.Context(EmailTestHost.Input());

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(context, Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("rejected the credentials of user 'mailer'", ex.Message);
        Assert.Contains("HyOpps:Email:Password", ex.Message);
        Assert.DoesNotContain(wrong, ex.ToString());
        Assert.DoesNotContain(wrong, host.AllLogText());
        Assert.Empty(context.SavedCheckpoints);
        Assert.Empty(smtp.Messages);
        Assert.True(smtp.FailedAuthentications >= 1); // MailKit tries each offered mechanism (PLAIN, LOGIN).
    }

    [Fact]
    public async Task ExecuteAsync_AuthenticationRequiredButNoUserName_FailsPermanently()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { UserName = "mailer", Password = "right-password" });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => (o.UserName, o.Password) = (null, null));

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("requires authentication", ex.Message);
        Assert.Contains("HyOpps:Email:UserName", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_ServerDownThenUp_RetriedToSuccess()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await smtp.StopAsync();
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(context, Ct).AsTask());
        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Transient, ex.ErrorType);
        Assert.Contains($"127.0.0.1:{smtp.Port}", ex.Message);
        Assert.Contains("ConnectionRefused", ex.Message);

        await smtp.StartAsync(Ct);
        context.AttemptNumber = 2;
        var result = await host.Step.ExecuteAsync(context, Ct);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var email = Assert.Single(await smtp.WaitForMessagesAsync(1, EmailTestHost.Wait, Ct));
        Assert.Equal(email.MessageId, (string?)result.Output!["message_id"]);
    }

    [Fact]
    public async Task ExecuteAsync_TemporaryRejection_IsTransientThenSucceedsWithTheSameMessageId()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.FailNextMessages(1);
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(context, Ct).AsTask());
        Assert.True(ex.IsRetryable);
        Assert.Contains("451", ex.Message);
        Assert.Contains("Temporary failure, try again later", ex.Message);
        Assert.Equal(451, Assert.IsType<EmailApiException>(ex.InnerException).ReplyCode);

        context.AttemptNumber = 2;
        var result = await host.Step.ExecuteAsync(context, Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal(DocumentationEmailComposer.CreateMessageId(context.IdempotencyKey, MailboxAddress.Parse(EmailTestHost.From)), email.MessageId);
        Assert.Equal(email.MessageId, (string?)result.Output!["message_id"]);
    }

    [Fact]
    public async Task ExecuteAsync_RecipientRejected_FailsPermanentlyWithTheServerReply()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.RejectRecipient("jane.doe@partner.test");
        await using var host = EmailTestHost.Create(smtp);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Contains("rejected the recipient <jane.doe@partner.test>", ex.Message);
        Assert.Contains("550", ex.Message);
        Assert.Contains("Mailbox unavailable: no such user", ex.Message);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_SenderRejected_FailsPermanentlyNamingFrom()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.RejectSender("noreply@hyopps.test");
        await using var host = EmailTestHost.Create(smtp);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Contains("rejected the sender <noreply@hyopps.test>", ex.Message);
        Assert.Contains("553", ex.Message);
        Assert.Contains("HyOpps:Email:From", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_NotConfigured_FailsAtOncePermanentlyNamingTheSettings()
    {
        await using var host = EmailTestHost.Create(smtp: null);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.StartsWith("SMTP is not configured: set HyOpps:Email:Host (or SMTP_HOST)", ex.Message);
        Assert.Contains("HyOpps:Email:From (or EMAIL_FROM)", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_NonHttpLinks_FailValidationNamingEachLink()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var input = EmailTestHost.Input(links:
        [
            new DocumentationEmailLink("ok", "https://docs.acme.test/"),
            new DocumentationEmailLink("Click me", "javascript:alert(1)"),
            new DocumentationEmailLink("relative", "/docs/start"),
            new DocumentationEmailLink("ftp", "ftp://files.acme.test/x"),
        ]);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(input), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Contains("'javascript:alert(1)' (\"Click me\")", ex.Message);
        Assert.Contains("'/docs/start'", ex.Message);
        Assert.Contains("'ftp://files.acme.test/x'", ex.Message);
        Assert.DoesNotContain("'https://docs.acme.test/'", ex.Message);
        Assert.Equal(0, smtp.SessionCount);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidUserEmail_FailsPermanently()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input(email: "not-an-address")), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Contains("'not-an-address'", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_StartTls_MessageArrivesOverTlsAfterAuthenticating()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls, UserName = "mailer", Password = "tls-password" });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => (o.Security, o.AcceptUntrustedCertificates) = (SmtpSecurity.StartTls, true));

        var result = await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True(email.IsSecure);
        Assert.Equal("mailer", email.AuthenticatedUser);
    }

    [Fact]
    public async Task ExecuteAsync_AutoSecurityAgainstStartTlsServer_UpgradesToTls()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => (o.Security, o.AcceptUntrustedCertificates) = (SmtpSecurity.Auto, true));

        await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        Assert.True((await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct)).IsSecure);
    }

    [Fact]
    public async Task ExecuteAsync_SslOnConnect_MessageArrivesOverTls()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.Implicit });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => (o.Security, o.AcceptUntrustedCertificates) = (SmtpSecurity.SslOnConnect, true));

        await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        Assert.True((await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct)).IsSecure);
    }

    [Fact]
    public async Task ExecuteAsync_UntrustedCertificateNotAccepted_FailsPermanentlyNamingSecurity()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => o.Security = SmtpSecurity.StartTls);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Contains("TLS handshake", ex.Message);
        Assert.Contains("HyOpps:Email:Security", ex.Message);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_StartTlsRequiredButNotOffered_FailsPermanently()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, o => o.Security = SmtpSecurity.StartTls);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Equal(EmailErrorKind.TlsNotSupported, Assert.IsType<EmailApiException>(ex.InnerException).Kind);
        Assert.Contains("does not offer STARTTLS", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_ServerNeverAnswers_TimesOutTransiently()
    {
        // A listener that never accepts: the kernel completes the TCP handshake but no greeting ever comes.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var host = EmailTestHost.Create(smtp: null, o =>
        {
            (o.Host, o.Port, o.Security, o.From) = ("127.0.0.1", port, SmtpSecurity.None, EmailTestHost.From);
            o.Timeout = TimeSpan.FromMilliseconds(300);
        });

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.True(ex.IsRetryable);
        Assert.Equal(EmailErrorKind.Timeout, Assert.IsType<EmailApiException>(ex.InnerException).Kind);
        Assert.Contains("HyOpps:Email:Timeout", ex.Message);
    }

    [Fact]
    public async Task ExecuteAsync_AcceptedBeforeACrash_NextAttemptReturnsTheRecordWithoutSendingAgain()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var first = await host.Step.ExecuteAsync(context, Ct);
        var checkpoint = Assert.Single(context.SavedCheckpoints);
        Assert.True(checkpoint.GetProperty("accepted").GetBoolean());
        Assert.Equal((string?)first.Output!["message_id"], checkpoint.GetProperty("message_id").GetString());

        // The process died before the runtime recorded the step as completed: the step runs again with its checkpoint.
        context.AttemptNumber = 2;
        var second = await host.Step.ExecuteAsync(context, Ct);

        Assert.Equal(StepOutcome.Succeeded, second.Outcome);
        Assert.Equal(first.Output!.ToJsonString(), second.Output!.ToJsonString());
        Assert.Single(smtp.Messages);
        Assert.Equal(1, smtp.SessionCount);
    }

    [Fact]
    public async Task ExecuteAsync_Output_HasOnlyMessageIdAndRecipientsAndNoSecrets()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { UserName = "mailer", Password = "0utput-Secret" });
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var result = await host.Step.ExecuteAsync(context, Ct);

        var json = result.Output!.ToJsonString();
        Assert.Equal(["message_id", "recipients"], result.Output!.Select(p => p.Key).Order());
        Assert.DoesNotContain("0utput-Secret", json);
        Assert.DoesNotContain("0utput-Secret", JsonSerializer.Serialize(context.SavedCheckpoints));
        Assert.DoesNotContain("0utput-Secret", host.AllLogText());
    }

    [Fact]
    public async Task ExecuteAsync_CustomTemplate_IsUsed()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp, services: s => s.AddSingleton<IDocumentationEmailTemplate, FixedTemplate>());

        await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        var email = await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct);
        Assert.Equal("Custom for Acme Partners with 2 links", email.Subject);
        Assert.Equal("<p>custom</p>", email.HtmlBody);
        Assert.Equal("custom", email.TextBody);
    }

    [Fact]
    public async Task ExecuteAsync_NullContext_Throws()
    {
        await using var host = EmailTestHost.Create(smtp: null);

        await Assert.ThrowsAsync<ArgumentNullException>(() => host.Step.ExecuteAsync(null!, Ct).AsTask());
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        var step = new ShareDocumentationStep(new FakeSender(), new FixedTemplate(), new FixedOptions());
        Assert.NotNull(step);
        Assert.Throws<ArgumentNullException>(() => new ShareDocumentationStep(null!, new FixedTemplate(), new FixedOptions()));
        Assert.Throws<ArgumentNullException>(() => new ShareDocumentationStep(new FakeSender(), null!, new FixedOptions()));
        Assert.Throws<ArgumentNullException>(() => new ShareDocumentationStep(new FakeSender(), new FixedTemplate(), null!));
    }

    private sealed class FixedTemplate : IDocumentationEmailTemplate
    {
        public ValueTask<DocumentationEmailContent> RenderAsync(DocumentationEmailModel model, CancellationToken cancellationToken)
            => ValueTask.FromResult(new DocumentationEmailContent($"Custom for {model.OrgName} with {model.Links.Count} links", "<p>custom</p>", "custom"));
    }

    private sealed class FakeSender : IEmailSender
    {
        public Task<EmailSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
            => Task.FromResult(new EmailSendResult(message.MessageId ?? "none", [], "250 Ok"));
    }

    private sealed class FixedOptions : Microsoft.Extensions.Options.IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue { get; } = new();

        public EmailOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }
}
