using SafeStream.Storage.Model;

namespace SafeStream.Storage;

/// <summary>
/// A write, as the database writer executes it and the journal keeps it. Every op is idempotent (ids and source
/// keys are unique, patches and settings are absolute and stamped with when they were made), so replaying one that already reached the database is harmless.
/// </summary>
public abstract record WriteOp;

/// <summary>Events to insert; <see cref="SourceKeys"/> (same length, entries may be null) marks imported legacy lines.</summary>
public sealed record AppendEvents(IReadOnlyList<StorageEvent> Events, IReadOnlyList<byte[]?>? SourceKeys = null) : WriteOp;

/// <summary>Inserts the user unless the username exists; the result says which.</summary>
public sealed record CreateUser(User User) : WriteOp;

/// <summary>
/// Patches the user as of <see cref="At"/>, when the change was made: each field changes only if no later change of
/// it is stored (last change wins, per field). The result is the user as stored, or null when there is none.
/// </summary>
public sealed record PatchUser(string Username, UserPatch Patch, DateTimeOffset At) : WriteOp;

/// <summary>Sets a setting as of <see cref="At"/>, unless a later value of it is stored.</summary>
public sealed record PutSetting(string Key, string Value, DateTimeOffset At) : WriteOp;
