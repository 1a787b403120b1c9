using SafeStream.Storage;
using SafeStream.Storage.EventIds;
using SafeStream.Storage.Model;

namespace SafeStream.Server.Admin;

/// <summary>Every moderator action is an event in storage: who, whom, when and the details.</summary>
internal sealed class AdminLog(IStorage storage, EventIdGenerator ids, TimeProvider time)
{
    public Task RecordAsync(string admin, string action, string? target, string? details, CancellationToken cancellationToken) =>
        storage.AppendAsync([new AdminAction(ids.Next(), admin, action, target, details, time.GetUtcNow())], cancellationToken);
}
