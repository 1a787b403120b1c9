using SafeStream.Storage.Model;

namespace SafeStream.Storage;

/// <summary>
/// A write, as the database writer executes it and the journal keeps it. Every op is idempotent (ids and source
/// keys are unique, patches and settings are absolute), so replaying one that already reached the database is harmless.
/// </summary>
public abstract record WriteOp;

/// <summary>Events to insert; <see cref="SourceKeys"/> (same length, entries may be null) marks imported legacy lines.</summary>
public sealed record AppendEvents(IReadOnlyList<StorageEvent> Events, IReadOnlyList<byte[]?>? SourceKeys = null) : WriteOp;

/// <summary>Inserts the user unless the username exists; the result says which.</summary>
public sealed record CreateUser(User User) : WriteOp;

/// <summary>Patches the user; the result is the updated user, or null when there is none.</summary>
public sealed record PatchUser(string Username, UserPatch Patch, DateTimeOffset At) : WriteOp;

public sealed record PutSetting(string Key, string Value) : WriteOp;
