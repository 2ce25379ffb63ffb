using OpenLoRA.Chain;
using OpenLoRA.Chain.Deployment;
using OpenLoRA.Server.Auth;
using OpenLoRA.Server.Endpoints.Chain.Contracts;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Chain;

internal static class ChainEndpoint
{
    /// <summary><c>GET /v1/chain</c>: the chain id publishers sign for and the contract addresses; no key needed.</summary>
    public static IEndpointRouteBuilder MapChainEndpoint(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/chain", static (HttpContext context, PublisherSignatureVerifier verifier, IServiceProvider services) =>
            {
                var mode = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChainOptions>>().Value.Mode;
                var deployment = mode == ChainMode.Off ? null : KnownDeployment(services.GetRequiredService<ChainConnection>());
                var response = new ChainResponse(
                    "chain",
                    mode.ToString().ToLowerInvariant(),
                    verifier.ChainId,
                    deployment?.TokenAddress,
                    deployment?.RegistryAddress,
                    deployment?.EscrowAddress);
                return JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, response, ServerJsonContext.Default.ChainResponse);
            })
            .WithTags("Chain")
            .WithName("GetChain")
            .WithSummary("The chain id publisher signatures name, and the contract addresses")
            .Produces<ChainResponse>(StatusCodes.Status200OK, "application/json");
        return endpoints;
    }

    /// <summary>The deployment once it can be read; a local chain may still be deploying at start-up.</summary>
    private static ChainDeployment? KnownDeployment(ChainConnection connection)
    {
        try
        {
            return connection.Deployment;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
