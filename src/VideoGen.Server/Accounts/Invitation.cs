namespace VideoGen.Server.Accounts;

/// <summary>
/// A one-time sign-up code an admin hands out when the sign-up policy is <c>invite-only</c>. Only its hash is
/// stored. It may be bound to one email address; it expires and is spent by the account it created.
/// </summary>
public sealed class Invitation
{
    public required string Id { get; set; }

    /// <summary>Lowercase hex SHA-256 of the code.</summary>
    public required string CodeHash { get; set; }

    /// <summary>When set, only this address (case-insensitive) can use the code.</summary>
    public string? Email { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public string? UsedBy { get; set; }
}
