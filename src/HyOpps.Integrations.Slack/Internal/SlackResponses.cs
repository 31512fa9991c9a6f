using System.Text.Json;
using System.Text.Json.Serialization;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>The Web API response shapes HyOpps reads; the envelope (<c>ok</c>, <c>error</c>, ...) is handled by <see cref="SlackClient"/>.</summary>
internal static class SlackResponses
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    internal sealed record UserResponse(UserDto? User);

    internal sealed record UserDto(
        string? Id,
        string? TeamId,
        string? Name,
        string? RealName,
        bool Deleted,
        bool IsBot,
        bool IsRestricted,
        bool IsUltraRestricted,
        bool IsAdmin,
        bool IsOwner,
        bool IsPrimaryOwner,
        ProfileDto? Profile);

    internal sealed record ProfileDto(string? Email, string? RealName);

    internal sealed record UserGroupListResponse(List<UserGroupDto>? Usergroups);

    internal sealed record UserGroupResponse(UserGroupDto? Usergroup);

    internal sealed record UserGroupDto(
        string? Id,
        string? TeamId,
        string? Name,
        string? Handle,
        string? Description,
        long DateDelete,
        List<string>? Users,
        int? UserCount);

    internal sealed record UsersResponse(List<string>? Users);

    public static SlackUser ToUser(UserDto dto, string method) => new()
    {
        Id = dto.Id ?? throw Malformed(method, "user.id"),
        TeamId = dto.TeamId,
        Name = dto.Name,
        RealName = dto.RealName ?? dto.Profile?.RealName,
        Email = dto.Profile?.Email,
        Deleted = dto.Deleted,
        IsBot = dto.IsBot,
        IsRestricted = dto.IsRestricted,
        IsUltraRestricted = dto.IsUltraRestricted,
        IsAdmin = dto.IsAdmin,
        IsOwner = dto.IsOwner,
        IsPrimaryOwner = dto.IsPrimaryOwner,
    };

    public static SlackUserGroup ToUserGroup(UserGroupDto dto, string method) => new()
    {
        Id = dto.Id ?? throw Malformed(method, "usergroup.id"),
        TeamId = dto.TeamId,
        Name = dto.Name,
        Handle = dto.Handle,
        Description = dto.Description,
        IsDisabled = dto.DateDelete != 0,
        Users = dto.Users ?? [],
        UserCount = dto.UserCount,
    };

    public static SlackApiException Malformed(string method, string field)
        => new(method, SlackErrorCodes.InvalidResponse, $"Slack {method} answered ok without '{field}'.");
}
