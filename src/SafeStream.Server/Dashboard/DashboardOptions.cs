using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Dashboard;

/// <summary>The <c>Dashboard</c> section: how the moderator dashboard's live feed reads storage.</summary>
internal sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How often the live feed asks storage for new events while at least one dashboard is open.</summary>
    [Range(50, 10_000)]
    public int FeedPollMs { get; set; } = 500;

    /// <summary>Dashboards that may follow the live feed at once; each costs a queue, not a storage read.</summary>
    [Range(1, 1_000)]
    public int MaxFeedSubscribers { get; set; } = 50;
}
