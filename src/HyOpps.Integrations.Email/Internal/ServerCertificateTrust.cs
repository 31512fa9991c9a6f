using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>
/// Trusts exactly the server certificate named by <see cref="EmailOptions.ServerCertificateSha256"/> and/or one that chains to
/// <see cref="EmailOptions.TrustedCaFile"/>; records why a certificate was refused, so the failure can name the setting.
/// </summary>
internal sealed class ServerCertificateTrust
{
    private readonly byte[]? _pin;
    private readonly X509Certificate2Collection? _authorities;
    private readonly EmailOptions _options;

    private ServerCertificateTrust(EmailOptions options, byte[]? pin, X509Certificate2Collection? authorities)
    {
        _options = options;
        _pin = pin;
        _authorities = authorities;
    }

    /// <summary>Gets why the last certificate was refused, naming the setting; <see langword="null"/> when none was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Creates the trust of these settings, or <see langword="null"/> when neither a pin nor a CA file is set.</summary>
    /// <exception cref="InvalidOperationException">A setting is malformed (start-up validation reports it first).</exception>
    public static ServerCertificateTrust? Create(EmailOptions options)
    {
        var hasPin = !string.IsNullOrWhiteSpace(options.ServerCertificateSha256);
        var hasCa = !string.IsNullOrWhiteSpace(options.TrustedCaFile);
        if (!hasPin && !hasCa)
        {
            return null;
        }

        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return new ServerCertificateTrust(options, hasPin ? ParsePin(options.ServerCertificateSha256!) : null, hasCa ? LoadAuthorities(options.TrustedCaFile!.Trim()) : null);
    }

    /// <summary>Checks the two settings, naming the key of each problem.</summary>
    public static IReadOnlyList<string> Validate(EmailOptions options)
    {
        var p = options.SectionPath;
        var errors = new List<string>();
        var hasPin = !string.IsNullOrWhiteSpace(options.ServerCertificateSha256);
        var hasCa = !string.IsNullOrWhiteSpace(options.TrustedCaFile);
        if (hasPin && ParsePin(options.ServerCertificateSha256!) is null)
        {
            errors.Add($"{p}:ServerCertificateSha256 must be the SHA-256 fingerprint of the server certificate: 64 hexadecimal digits (colons and spaces allowed).");
        }

        if (hasCa)
        {
            var path = options.TrustedCaFile!.Trim();
            if (!File.Exists(path))
            {
                errors.Add($"{p}:TrustedCaFile '{path}' does not exist; give the path of a PEM or DER file with the certificate authority of the SMTP server.");
            }
            else
            {
                try
                {
                    if (LoadAuthorities(path).Count == 0)
                    {
                        errors.Add($"{p}:TrustedCaFile '{path}' holds no certificate.");
                    }
                }
                catch (CryptographicException ex)
                {
                    errors.Add($"{p}:TrustedCaFile '{path}' is not a PEM or DER certificate file: {ex.Message}");
                }
            }
        }

        if ((hasPin || hasCa) && options.AcceptUntrustedCertificates)
        {
            errors.Add($"{p}:AcceptUntrustedCertificates accepts any certificate and cannot be combined with {p}:ServerCertificateSha256 or {p}:TrustedCaFile; turn it off.");
        }

        return errors;
    }

    /// <summary>The MailKit validation callback.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _ = sender;
        _ = chain;
        if (certificate is null)
        {
            return Refuse("the server presented no certificate");
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var p = _options.SectionPath;
        if (_pin is not null)
        {
            var actual = presented.GetCertHash(HashAlgorithmName.SHA256);
            if (!CryptographicOperations.FixedTimeEquals(actual, _pin))
            {
                return Refuse($"its SHA-256 fingerprint {Convert.ToHexString(actual)} is not the one in {p}:ServerCertificateSha256");
            }
        }

        if (_authorities is not null)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return Refuse($"it is not issued for the host {_options.Host} ({p}:Host)");
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            custom.ChainPolicy.DisableCertificateDownloads = true;
            if (!custom.Build(presented))
            {
                var why = string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
                return Refuse($"it does not chain to a certificate authority in {p}:TrustedCaFile ({why})");
            }
        }

        Refusal = null;
        return true;
    }

    private bool Refuse(string why)
    {
        Refusal = $"The SMTP server's certificate was refused: {why}.";
        return false;
    }

    private static byte[]? ParsePin(string text)
    {
        var hex = string.Concat(text.Where(c => c is not (':' or ' ' or '-')));
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(hex);
    }

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var collection = new X509Certificate2Collection();
        var text = File.ReadAllText(path);
        if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            collection.ImportFromPem(text);
        }
        else
        {
            collection.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(path)));
        }

        return collection;
    }
}
