using Microsoft.AspNetCore.Http;
using OpenLoRA.Server.Auth;

namespace OpenLoRA.IntegrationTests.Server;

public sealed class TenantIdentityTests
{
    [Fact]
    public void Of_BearerKey_IsAStableHashNotTheKey()
    {
        var first = TenantIdentity.Of(Request("Bearer sk-secret-1"), "alice");
        var again = TenantIdentity.Of(Request("Bearer sk-secret-1"), null);
        var other = TenantIdentity.Of(Request("Bearer sk-secret-2"), "alice");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Matches("^key:[0-9a-f]{16}$", first);
        Assert.DoesNotContain("secret", first);
    }

    [Fact]
    public void Of_NoKey_FallsBackToUserThenAnonymous()
    {
        Assert.Equal("user:alice", TenantIdentity.Of(Request(null), "alice"));
        Assert.Equal(TenantIdentity.Anonymous, TenantIdentity.Of(Request(null), null));
        Assert.Equal(TenantIdentity.Anonymous, TenantIdentity.Of(Request("Basic abc"), ""));
    }

    private static HttpRequest Request(string? authorization)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        return context.Request;
    }
}
