using Microsoft.EntityFrameworkCore;

namespace Sockeye.Chat.Messages;

/// <summary>
/// The chat database: one model for every provider. Each provider has its own subclass because EF Core migrations
/// are provider-specific: <see cref="SqliteChatDbContext"/> and <see cref="PostgresChatDbContext"/> each own a
/// migrations folder.
/// </summary>
public abstract class ChatDbContext : DbContext
{
    /// <summary>The longest room name stored (the room name rule allows 64 characters).</summary>
    public const int RoomMaxLength = 64;

    /// <summary>The longest user id stored: room for the subject of an external identity provider.</summary>
    public const int UserIdMaxLength = 256;

    /// <summary>The longest text stored (the chat accepts 4,000 characters).</summary>
    public const int TextMaxLength = 4000;

    /// <summary>Creates the context.</summary>
    protected ChatDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The messages.</summary>
    public DbSet<StoredMessage> Messages => Set<StoredMessage>();

    /// <summary>Whether <paramref name="exception"/> reports a violated unique index, in this provider's terms.</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>
    /// Inside a transaction: makes writers of <paramref name="room"/> in other processes wait until it ends, where the
    /// provider can. Without it, the unique (room, seq) index still refuses a second writer of the same sequence.
    /// </summary>
    public virtual Task LockRoomAsync(string room, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs after the migrations: database settings that are not part of the schema.</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var message = modelBuilder.Entity<StoredMessage>();
        message.ToTable("messages");
        message.HasKey(m => m.Id).HasName("pk_messages");
        message.Property(m => m.Id).HasColumnName("id").ValueGeneratedOnAdd();
        message.Property(m => m.Room).HasColumnName("room").HasMaxLength(RoomMaxLength).IsRequired();
        message.Property(m => m.Seq).HasColumnName("seq");
        message.Property(m => m.UserId).HasColumnName("user_id").HasMaxLength(UserIdMaxLength).IsRequired();
        message.Property(m => m.MessageId).HasColumnName("message_id");
        message.Property(m => m.Text).HasColumnName("text").HasMaxLength(TextMaxLength).IsRequired();
        message.Property(m => m.Timestamp).HasColumnName("timestamp");

        // A client retry carries the same message_id: the index makes the second insert fail, in any process.
        message.HasIndex(m => new { m.UserId, m.MessageId })
            .IsUnique()
            .HasFilter("\"message_id\" IS NOT NULL")
            .HasDatabaseName("ix_messages_user_id_message_id");

        // Two writers that computed the same max+1 collide here instead of leaving a duplicate or a gap.
        message.HasIndex(m => new { m.Room, m.Seq }).IsUnique().HasDatabaseName("ix_messages_room_seq");

        // History pages: WHERE room = @room AND id < @before ORDER BY id DESC.
        message.HasIndex(m => new { m.Room, m.Id }).HasDatabaseName("ix_messages_room_id");
    }
}
