using System.Net.Sockets;
using HyOpps.Testing.Smtp;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace HyOpps.Integrations.Email.Tests;

public sealed class SmtpSimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Constructor_UserNameWithoutPassword_Throws()
        => Assert.Throws<ArgumentException>(() => new SmtpSimulator(new SmtpSimulatorOptions { UserName = "u" }));

    [Fact]
    public async Task Certificate_OnlyWhenTlsIsOn()
    {
        await using var plain = new SmtpSimulator();
        await using var tls = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls });

        Assert.Null(plain.Certificate);
        Assert.NotNull(tls.Certificate);
        Assert.True(tls.Certificate.HasPrivateKey);
    }

    [Fact]
    public async Task StartAsync_Twice_Throws()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => smtp.StartAsync(Ct));
        Assert.True(smtp.IsRunning);
        Assert.NotEqual(0, smtp.Port);
    }

    [Fact]
    public async Task StopAsync_ThenStartAsync_RefusesWhileStoppedAndKeepsThePort()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        var port = smtp.Port;

        await smtp.StopAsync();
        Assert.False(smtp.IsRunning);
        using (var refused = new TcpClient())
        {
            var ex = await Assert.ThrowsAsync<SocketException>(() => refused.ConnectAsync(smtp.Host, port, Ct).AsTask());
            Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
        }

        await smtp.StartAsync(Ct);
        Assert.Equal(port, smtp.Port);
        using var accepted = new TcpClient();
        await accepted.ConnectAsync(smtp.Host, port, Ct);
        Assert.True(accepted.Connected);
    }

    [Fact]
    public async Task StopAsync_AfterTraffic_RestartsOnTheSamePortAndKeepsMessages()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var sender = host.Services.GetRequiredService<IEmailSender>();
        await sender.SendAsync(Message(), Ct);
        var port = smtp.Port;

        await smtp.StopAsync();
        var down = await Assert.ThrowsAsync<EmailApiException>(() => sender.SendAsync(Message(), Ct));
        await smtp.StartAsync(Ct);
        await sender.SendAsync(Message(), Ct);

        Assert.Equal(EmailErrorKind.ConnectionFailed, down.Kind);
        Assert.True(down.IsTransient);
        Assert.Equal(port, smtp.Port);
        Assert.Equal(2, (await smtp.WaitForMessagesAsync(2, EmailTestHost.Wait, Ct)).Count);
    }

    [Fact]
    public async Task WaitForMessagesAsync_TooFewArrive_ThrowsTimeoutExceptionSayingHowMany()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => smtp.WaitForMessagesAsync(2, TimeSpan.FromMilliseconds(50), Ct));

        Assert.Contains("received 0 of 2", ex.Message);
    }

    [Fact]
    public async Task FailNextMessages_FailsExactlyThatManyThenAccepts()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.FailNextMessages(2, 452, "4.3.1 Insufficient system storage");
        await using var host = EmailTestHost.Create(smtp);
        var sender = host.Services.GetRequiredService<IEmailSender>();

        for (var i = 0; i < 2; i++)
        {
            var ex = await Assert.ThrowsAsync<EmailApiException>(() => sender.SendAsync(Message(), Ct));
            Assert.True(ex.IsTransient);
            Assert.Equal(EmailErrorKind.MessageRejected, ex.Kind);
            Assert.Equal(452, ex.ReplyCode);
            Assert.Contains("Insufficient system storage", ex.Message);
        }

        await sender.SendAsync(Message(), Ct);
        Assert.Single(await smtp.WaitForMessagesAsync(1, EmailTestHost.Wait, Ct));
    }

    [Fact]
    public async Task FailNextMessages_PermanentCode_IsPermanent()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.FailNextMessages(1, 554, "5.6.0 Message content rejected");
        await using var host = EmailTestHost.Create(smtp);

        var ex = await Assert.ThrowsAsync<EmailApiException>(() => host.Services.GetRequiredService<IEmailSender>().SendAsync(Message(), Ct));

        Assert.False(ex.IsTransient);
        Assert.Equal(554, ex.ReplyCode);
    }

    [Fact]
    public async Task ClearFailures_RemovesScriptedRejections()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.RejectRecipient("b@example.com");
        smtp.ClearFailures();
        await using var host = EmailTestHost.Create(smtp);

        await host.Services.GetRequiredService<IEmailSender>().SendAsync(Message(), Ct);

        Assert.Equal(["b@example.com"], (await smtp.WaitForMessageAsync(EmailTestHost.Wait, Ct)).EnvelopeRecipients);
        smtp.ClearMessages();
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task RejectRecipient_TemporaryCode_IsTransient()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.RejectRecipient("b@example.com", 450, "4.2.1 Mailbox busy, try later");
        await using var host = EmailTestHost.Create(smtp);

        var ex = await Assert.ThrowsAsync<EmailApiException>(() => host.Services.GetRequiredService<IEmailSender>().SendAsync(Message(), Ct));

        Assert.True(ex.IsTransient);
        Assert.Equal(EmailErrorKind.RecipientRejected, ex.Kind);
        Assert.Contains("Mailbox busy", ex.Message);
    }

    [Fact]
    public async Task SendAsync_NotConfigured_ThrowsNotConfigured()
    {
        await using var host = EmailTestHost.Create(smtp: null);

        var ex = await Assert.ThrowsAsync<EmailApiException>(() => host.Services.GetRequiredService<IEmailSender>().SendAsync(Message(), Ct));

        Assert.Equal(EmailErrorKind.NotConfigured, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.StartsWith("SMTP is not configured: set HyOpps:Email:Host (or SMTP_HOST)", ex.Message);
    }

    private static MimeMessage Message()
    {
        var message = new MimeMessage { Subject = "test" };
        message.To.Add(MailboxAddress.Parse("b@example.com"));
        message.Body = new TextPart("plain") { Text = "hello" };
        return message;
    }
}
