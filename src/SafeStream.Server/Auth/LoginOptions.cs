using System.ComponentModel.DataAnnotations;

namespace SafeStream.Server.Auth;

/// <summary>The <c>Login</c> section: which other sites' pages may post the login form.</summary>
internal sealed class LoginOptions : IValidatableObject
{
    public const string SectionName = "Login";

    /// <summary>
    /// Origins (<c>https://chat.example.com</c>) whose pages may post <c>/auth/login</c> besides the server's own host
    /// (the request's <c>Host</c>). A form posted from any other origin is refused 403; a client that sends no
    /// <c>Origin</c> (curl, scripts, the legacy client's own pages on older browsers) is not affected.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        AllowedOrigins.Where(o => LoginOrigin.Parse(o) is null)
            .Select(o => new ValidationResult($"'{o}' is not an origin (scheme://host[:port])", [nameof(AllowedOrigins)]));
}
