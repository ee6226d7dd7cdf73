using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VideoGen.Server.Accounts;
using VideoGen.Server.Data;

namespace VideoGen.Server.Apis;

/// <summary>
/// Invitations under <c>/api/admin/invitations</c> (admin only): create a one-time sign-up code, optionally for one
/// email (the code is in this answer only), and list them (without codes). Used when <c>VideoGen:Accounts:SignUp</c>
/// is <c>invite-only</c>.
/// </summary>
public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/admin/invitations").WithTags("Admin").RequireAuthorization(Roles.AdminPolicy)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        api.MapPost("/", CreateInvitation)
            .Describe("CreateInvitation", "Create an invitation code (admin)");
        api.MapGet("/", ListInvitations)
            .Describe("ListInvitations", "List invitations (admin)");
        return app;
    }

    public static async Task<Results<Created<CreatedInvitationDto>, ValidationProblem>> CreateInvitation(
        CreateInvitationBody? body, CurrentOwner owner, AppDbContext db, IOptions<AccountsOptions> options, TimeProvider time, CancellationToken ct)
    {
        var email = string.IsNullOrWhiteSpace(body?.Email) ? null : body.Email.Trim();
        if (email is not null && (email.Length > 256 || !email.Contains('@', StringComparison.Ordinal)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["email must be an email address (or left out for a code anyone can use)."] });
        }
        var code = SecretTokens.NewCode();
        var now = time.GetUtcNow();
        var invitation = new Invitation
        {
            Id = Guid.NewGuid().ToString("N"),
            CodeHash = SecretTokens.Hash(code),
            Email = email,
            CreatedBy = owner.Id,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/admin/invitations/{invitation.Id}", new CreatedInvitationDto(invitation.Id, code, email, invitation.ExpiresAt));
    }

    public static async Task<Ok<List<InvitationDto>>> ListInvitations(AppDbContext db, CancellationToken ct)
    {
        var all = await db.Invitations.AsNoTracking().ToListAsync(ct);
        return TypedResults.Ok(all.OrderByDescending(i => i.CreatedAt)
            .Select(i => new InvitationDto(i.Id, i.Email, i.CreatedAt, i.ExpiresAt, i.UsedAt, i.UsedBy)).ToList());
    }
}

public sealed record CreateInvitationBody(string? Email);

/// <summary>A new invitation: hand <see cref="Code"/> to the invitee (shown this once).</summary>
public sealed record CreatedInvitationDto(string Id, string Code, string? Email, DateTimeOffset ExpiresAt);

public sealed record InvitationDto(string Id, string? Email, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, string? UsedBy);
