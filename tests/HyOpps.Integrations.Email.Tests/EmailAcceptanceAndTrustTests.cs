using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HyOpps.Testing.Smtp;
using HyOpps.Workflows;

namespace HyOpps.Integrations.Email.Tests;

public sealed class EmailAcceptanceAndTrustTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExecuteAsync_QuitReplyHeld_CheckpointIsStoredBeforeTheServerSaysGoodbye()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.HoldQuit();
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var step = host.Step.ExecuteAsync(context, Ct).AsTask();
        await smtp.QuitReceivedAsync(EmailTestHost.Wait, Ct);

        // The client is waiting for the 221: the step has not finished, yet the acceptance is on record.
        Assert.False(step.IsCompleted);
        var checkpoint = Assert.Single(context.SavedCheckpoints);
        Assert.True(checkpoint.GetProperty("accepted").GetBoolean());
        var email = Assert.Single(smtp.Messages);
        Assert.Equal(email.MessageId, checkpoint.GetProperty("message_id").GetString());

        smtp.ReleaseQuit();
        var result = await step.WaitAsync(EmailTestHost.Wait, Ct);
        Assert.Equal(StepOutcome.Succeeded, result.Outcome);

        // An attempt after a crash inside that wait finds the checkpoint and sends nothing.
        var rerun = await host.Step.ExecuteAsync(context, Ct);
        Assert.Equal(email.MessageId, (string?)rerun.Output!["message_id"]);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_ConnectionDroppedAtQuitAfterAcceptance_Succeeds()
    {
        await using var smtp = new SmtpSimulator { DropConnectionOnQuit = true };
        await smtp.StartAsync(Ct);
        await using var host = EmailTestHost.Create(smtp);
        var context = host.Context(EmailTestHost.Input());

        var result = await host.Step.ExecuteAsync(context, Ct);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var email = Assert.Single(smtp.Messages);
        Assert.Equal(email.MessageId, (string?)result.Output!["message_id"]);
        Assert.Single(context.SavedCheckpoints);
    }

    [Fact]
    public async Task ExecuteAsync_PinnedSelfSignedCertificate_IsSentOverTls()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls });
        await smtp.StartAsync(Ct);
        var pin = string.Join(':', smtp.Certificate!.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        await using var host = EmailTestHost.Create(smtp, o => (o.Security, o.ServerCertificateSha256) = (SmtpSecurity.StartTls, pin));

        var result = await host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True(Assert.Single(smtp.Messages).IsSecure);
    }

    [Fact]
    public async Task ExecuteAsync_AnotherCertificatePinned_IsRefusedNamingTheSetting()
    {
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls });
        await smtp.StartAsync(Ct);
        var otherPin = Convert.ToHexString(SHA256.HashData("another certificate"u8));
        await using var host = EmailTestHost.Create(smtp, o => (o.Security, o.ServerCertificateSha256) = (SmtpSecurity.StartTls, otherPin));

        var ex = await Assert.ThrowsAsync<StepException>(() => host.Step.ExecuteAsync(host.Context(EmailTestHost.Input()), Ct).AsTask());

        Assert.False(ex.IsRetryable);
        Assert.Contains("The SMTP server's certificate was refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("is not the one in HyOpps:Email:ServerCertificateSha256", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexString(smtp.Certificate!.GetCertHash(HashAlgorithmName.SHA256)), ex.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task ExecuteAsync_CertificateOfAPrivateCaInTrustedCaFile_IsSent_AndAnotherCaIsRefused()
    {
        using var ca = CreateAuthority("CN=HyOpps Test CA");
        using var otherCa = CreateAuthority("CN=Someone Else's CA");
        using var serverCertificate = IssueServerCertificate(ca);
        await using var smtp = new SmtpSimulator(new SmtpSimulatorOptions { Tls = SmtpSimulatorTls.StartTls, Certificate = serverCertificate });
        await smtp.StartAsync(Ct);
        var caFile = WritePem(ca);
        var otherCaFile = WritePem(otherCa);
        try
        {
            await using var trusting = EmailTestHost.Create(smtp, o => (o.Security, o.TrustedCaFile) = (SmtpSecurity.StartTls, caFile));
            var sent = await trusting.Step.ExecuteAsync(trusting.Context(EmailTestHost.Input()), Ct);

            await using var wrong = EmailTestHost.Create(smtp, o => (o.Security, o.TrustedCaFile) = (SmtpSecurity.StartTls, otherCaFile));
            var ex = await Assert.ThrowsAsync<StepException>(() => wrong.Step.ExecuteAsync(wrong.Context(EmailTestHost.Input(email: "john@partner.test")), Ct).AsTask());

            Assert.Equal(StepOutcome.Succeeded, sent.Outcome);
            Assert.Contains("does not chain to a certificate authority in HyOpps:Email:TrustedCaFile", ex.Message, StringComparison.Ordinal);
            Assert.Single(smtp.Messages);
        }
        finally
        {
            File.Delete(caFile);
            File.Delete(otherCaFile);
        }
    }

    private static X509Certificate2 CreateAuthority(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
    }

    private static X509Certificate2 IssueServerCertificate(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var issued = request.Create(ca, now.AddMinutes(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), password: null);
    }

    private static string WritePem(X509Certificate2 certificate)
    {
        var path = Path.Combine(Path.GetTempPath(), $"hyopps-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
