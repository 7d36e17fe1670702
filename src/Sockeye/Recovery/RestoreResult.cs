using System.Diagnostics.CodeAnalysis;

namespace Sockeye.Recovery;

/// <summary>What <see cref="IConnectionStateStore.RestoreAsync"/> found: the session taken back, or why there is none.</summary>
public sealed class RestoreResult
{
    private static readonly RestoreResult s_unknownSession = new(null, RecoveryFailure.UnknownSession);
    private static readonly RestoreResult s_offsetNotKept = new(null, RecoveryFailure.OffsetNotKept);

    private RestoreResult(RecoverySession? session, RecoveryFailure? failure)
    {
        Session = session;
        Failure = failure;
    }

    /// <summary>The session, when it was restored.</summary>
    public RecoverySession? Session { get; }

    /// <summary>Why the session was not restored; <see langword="null"/> when it was.</summary>
    public RecoveryFailure? Failure { get; }

    /// <summary>Whether the session was restored.</summary>
    [MemberNotNullWhen(true, nameof(Session))]
    public bool Succeeded => Session is not null;

    /// <summary>The session was taken back.</summary>
    public static RestoreResult Restored(RecoverySession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new RestoreResult(session, null);
    }

    /// <summary>The session could not be taken back.</summary>
    public static RestoreResult Failed(RecoveryFailure failure) =>
        failure == RecoveryFailure.UnknownSession ? s_unknownSession : s_offsetNotKept;
}

/// <summary>Why a client could not recover its session (the <c>outcome</c> tag of <c>sockeye.recoveries</c>).</summary>
public enum RecoveryFailure
{
    /// <summary>No such session: never known here, already restored, expired, or of another namespace.</summary>
    UnknownSession,

    /// <summary>The session was found but the client's offset is no longer kept (or never was): what it missed is unknown.</summary>
    OffsetNotKept,
}
