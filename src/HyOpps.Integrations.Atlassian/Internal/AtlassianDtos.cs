using System.Text.Json;

namespace HyOpps.Integrations.Atlassian.Internal;

internal sealed class UserDto
{
    public string? AccountId { get; set; }

    public string? AccountType { get; set; }

    public string? DisplayName { get; set; }

    public string? EmailAddress { get; set; }

    public bool Active { get; set; }

    public AtlassianUser? ToUser()
        => string.IsNullOrEmpty(AccountId)
            ? null
            : new AtlassianUser(AccountId, AccountType ?? "atlassian", DisplayName, string.IsNullOrWhiteSpace(EmailAddress) ? null : EmailAddress, Active);
}

internal sealed class PageDto<T>
{
    public int StartAt { get; set; }

    public int MaxResults { get; set; }

    public long Total { get; set; }

    public bool IsLast { get; set; } = true;

    public List<T> Values { get; set; } = [];
}

internal sealed class GroupDto
{
    public string? GroupId { get; set; }

    public string? Name { get; set; }
}

internal sealed class InviteResponseDto
{
    public List<InviteResultDto> Data { get; set; } = [];
}

internal sealed class InviteResultDto
{
    public string? Id { get; set; }

    public string? Email { get; set; }
}

internal static class AtlassianJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
