using SafeStream.Storage.Jsonl;

namespace SafeStream.Storage.Locking;

/// <summary>
/// The locks every SafeStream process (server, migration tool, admin commands) takes before it changes a legacy
/// file, for the tools that change them outside <see cref="IStorage"/> (export, archive). Dispose to release.
/// </summary>
public static class FileLocks
{
    /// <summary>Held while <c>users.json</c> at <paramref name="usersPath"/> is read, changed and replaced.</summary>
    public static IDisposable UsersFile(string usersPath) => new Held(new CrossProcessLock(Jsonl.UsersFile.LockPath(usersPath)));

    /// <summary>Held while logs in <paramref name="logsPath"/> are appended to, rotated or removed.</summary>
    public static IDisposable Logs(string logsPath) => new Held(new CrossProcessLock(Path.Combine(logsPath, LegacyLogWriter.LockName)));

    /// <summary>Whether <paramref name="fileName"/> is one of these lock files (never archived or removed with the data).</summary>
    public static bool IsLockFile(string fileName) => fileName.EndsWith(".lock", StringComparison.Ordinal);

    private sealed class Held : IDisposable
    {
        private readonly CrossProcessLock _lock;
        private readonly CrossProcessLock.Scope _scope;

        public Held(CrossProcessLock crossProcessLock)
        {
            _lock = crossProcessLock;
            try
            {
                _scope = crossProcessLock.Hold();
            }
            catch
            {
                crossProcessLock.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            _scope.Dispose();
            _lock.Dispose();
        }
    }
}
