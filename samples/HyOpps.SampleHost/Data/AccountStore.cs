using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using HyOpps.SampleHost.Domain;
using Microsoft.AspNetCore.Identity;

namespace HyOpps.SampleHost.Data;

/// <summary>Accounts (passwords hashed with <see cref="PasswordHasher{TUser}"/>) and their API keys (stored as SHA-256 hashes).</summary>
public sealed class AccountStore(SampleDatabase database, TimeProvider time)
{
    /// <summary>The prefix of every API key this host issues, so a leaked key is recognisable.</summary>
    public const string ApiKeyPrefix = "hyo_";

    private const string Columns = "id, user_name, password_hash, role, org_id, created_at, failed_sign_ins, locked_out_until, security_stamp";
    private static readonly PasswordHasher<Account> Hasher = new();

    public async Task<Account?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM accounts WHERE id = @id").With("@id", id);
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<Account?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM accounts WHERE lower(user_name) = lower(@name)").With("@name", userName.Trim());
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM accounts ORDER BY user_name");
        var accounts = new List<Account>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    /// <summary>Creates an account; returns null when the user name is taken.</summary>
    public async Task<Account?> CreateAsync(string userName, string password, string role, string? orgId, CancellationToken cancellationToken)
    {
        var account = new Account
        {
            Id = Sql.NewId(),
            UserName = userName.Trim(),
            PasswordHash = string.Empty,
            Role = role,
            OrgId = orgId,
            CreatedAt = time.GetUtcNow(),
            SecurityStamp = NewStamp(),
        };
        account = account with { PasswordHash = Hasher.HashPassword(account, password) };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"INSERT INTO accounts ({Columns}) VALUES (@id, @name, @hash, @role, @org, @created, 0, NULL, @stamp)")
            .With("@id", account.Id).With("@name", account.UserName).With("@hash", account.PasswordHash).With("@role", role)
            .With("@org", orgId).With("@created", Sql.Time(account.CreatedAt)).With("@stamp", account.SecurityStamp);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            return null;
        }

        return account;
    }

    /// <summary>
    /// Checks a user name and password, Identity-style: a locked-out account is refused without checking the password, each
    /// failure is counted, and <paramref name="maxFailures"/> failures in a row lock the account for <paramref name="lockout"/>.
    /// </summary>
    public async Task<SignInCheck> CheckSignInAsync(string userName, string password, int maxFailures, TimeSpan lockout, CancellationToken cancellationToken)
    {
        var account = await FindByUserNameAsync(userName, cancellationToken);
        if (account is null)
        {
            // Hash anyway so an unknown user name takes as long as a wrong password.
            Hasher.HashPassword(new Account { Id = string.Empty, UserName = userName, PasswordHash = string.Empty, Role = Roles.Admin }, password);
            return SignInCheck.Failed;
        }

        var now = time.GetUtcNow();
        if (account.LockedOutUntil is { } until && until > now)
        {
            return SignInCheck.LockedOut(until);
        }

        var result = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (result == PasswordVerificationResult.Failed)
        {
            // One statement, so concurrent failures all count.
            await using var fail = connection.Command("""
                UPDATE accounts SET
                    locked_out_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE NULL END,
                    failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END
                WHERE id = @id RETURNING locked_out_until
                """).With("@id", account.Id).With("@max", maxFailures).With("@until", Sql.Time(now + lockout));
            var locked = await fail.ExecuteScalarAsync(cancellationToken);
            return locked is string ? SignInCheck.LockedOut(now + lockout) : SignInCheck.Failed;
        }

        await using (var reset = connection.Command("UPDATE accounts SET failed_sign_ins = 0, locked_out_until = NULL WHERE id = @id").With("@id", account.Id))
        {
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // The same password in a newer format: the sessions stay.
            await using var rehash = connection.Command("UPDATE accounts SET password_hash = @hash WHERE id = @id")
                .With("@id", account.Id).With("@hash", Hasher.HashPassword(account, password));
            await rehash.ExecuteNonQueryAsync(cancellationToken);
        }

        return SignInCheck.Succeeded(account with { FailedSignIns = 0, LockedOutUntil = null });
    }

    /// <summary>Checks an account's current password (for a password change); counts nothing.</summary>
    public static bool IsPassword(Account account, string password)
        => Hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;

    /// <summary>Sets a new password and a new security stamp, so every session of the account ends; returns the new stamp.</summary>
    public async Task<string> SetPasswordAsync(Account account, string password, CancellationToken cancellationToken)
    {
        var stamp = NewStamp();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE accounts SET password_hash = @hash, security_stamp = @stamp WHERE id = @id")
            .With("@id", account.Id).With("@hash", Hasher.HashPassword(account, password)).With("@stamp", stamp);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return stamp;
    }

    /// <summary>Gives the account a new security stamp, which ends every session signed in before.</summary>
    public async Task RenewSecurityStampAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE accounts SET security_stamp = @stamp WHERE id = @id").With("@id", accountId).With("@stamp", NewStamp());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes an account and its API keys; its sessions end at their next request.</summary>
    public async Task<bool> DeleteAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM accounts WHERE id = @id").With("@id", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Issues a new API key for an account; the key is returned once and only its hash is kept.</summary>
    public async Task<(ApiKeyInfo Info, string Key)> CreateApiKeyAsync(string accountId, string name, CancellationToken cancellationToken)
        => await AddApiKeyAsync(accountId, name, ApiKeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32)), cancellationToken);

    /// <summary>Stores a given API key (used for the documented sandbox keys).</summary>
    public async Task<(ApiKeyInfo Info, string Key)> AddApiKeyAsync(string accountId, string name, string key, CancellationToken cancellationToken)
    {
        var info = new ApiKeyInfo(Sql.NewId(), accountId, name, key[..Math.Min(8, key.Length)], time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO api_keys (id, account_id, name, key_hash, key_prefix, created_at) VALUES (@id, @account, @name, @hash, @prefix, @created)")
            .With("@id", info.Id).With("@account", accountId).With("@name", name).With("@hash", HashApiKey(key))
            .With("@prefix", info.Prefix).With("@created", Sql.Time(info.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (info, key);
    }

    public async Task<Account?> FindByApiKeyAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT a.id, a.user_name, a.password_hash, a.role, a.org_id, a.created_at, a.failed_sign_ins, a.locked_out_until, a.security_stamp FROM api_keys k JOIN accounts a ON a.id = k.account_id WHERE k.key_hash = @hash")
            .With("@hash", HashApiKey(key));
        return await ReadOneAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT id, account_id, name, key_prefix, created_at FROM api_keys WHERE account_id = @account ORDER BY created_at")
            .With("@account", accountId);
        var keys = new List<ApiKeyInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new ApiKeyInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Sql.ReadTime(reader, "created_at")));
        }

        return keys;
    }

    public async Task<bool> DeleteApiKeyAsync(string accountId, string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM api_keys WHERE id = @id AND account_id = @account").With("@id", keyId).With("@account", accountId);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    internal static string HashApiKey(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<Account?> ReadOneAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static Account Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        UserName = reader.GetString(1),
        PasswordHash = reader.GetString(2),
        Role = reader.GetString(3),
        OrgId = Sql.ReadString(reader, "org_id"),
        CreatedAt = Sql.ReadTime(reader, "created_at"),
        FailedSignIns = reader.GetInt32(6),
        LockedOutUntil = Sql.ReadString(reader, "locked_out_until") is null ? null : Sql.ReadTime(reader, "locked_out_until"),
        SecurityStamp = reader.GetString(8),
    };

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
