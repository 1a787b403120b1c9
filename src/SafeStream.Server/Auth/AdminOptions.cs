namespace SafeStream.Server.Auth;

/// <summary>The <c>Admin</c> section.</summary>
internal sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>Accounts that are admins whatever their stored flag says (name them only once they are registered).</summary>
    public string[] Usernames { get; set; } = [];
}
