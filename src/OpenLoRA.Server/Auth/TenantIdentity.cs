using System.Security.Cryptography;
using System.Text;

namespace OpenLoRA.Server.Auth;

/// <summary>
/// Who a request is served for, for fair sharing of sequence slots: the bearer token's identity (a short hash, so
/// the key itself is never kept), else the OpenAI <c>user</c> field, else anonymous. API keys tied to accounts arrive
/// with billing; until then each distinct key is its own tenant.
/// </summary>
internal static class TenantIdentity
{
    public const string Anonymous = "anonymous";

    public static string Of(HttpRequest request, string? user)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[7..].Trim()));
            return "key:" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
        }

        return string.IsNullOrEmpty(user) ? Anonymous : "user:" + user;
    }
}
