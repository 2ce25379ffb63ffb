using System.Globalization;
using System.Numerics;
using Microsoft.AspNetCore.Mvc;
using OpenLoRA.Billing.Accounts;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Server.Billing;
using OpenLoRA.Server.Endpoints.Accounts.Contracts;
using OpenLoRA.Server.Endpoints.OpenAI;
using OpenLoRA.Server.Errors;
using OpenLoRA.Server.Http;

namespace OpenLoRA.Server.Endpoints.Accounts;

/// <summary>
/// Accounts and API keys (sign in with an Ethereum key: challenge, EIP-191 signature, key), the caller's balance and
/// charges, and payees' earnings. Prices are with the models (<see cref="OpenAI.ModelsEndpoint"/>).
/// </summary>
internal sealed class AccountEndpoints(
    AccountService accounts, BillingLedger ledger, IInferenceBilling billing)
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        const string json = "application/json";
        var group = endpoints.MapGroup("/v1").WithTags("Accounts and billing");
        group.MapPost("/accounts/challenge", static (HttpContext context, [FromServices] IServiceProvider services) => Resolve(services).ChallengeAsync(context))
            .WithName("CreateSignInChallenge")
            .WithSummary("A single-use, expiring text for the address's key to sign (EIP-191)")
            .Accepts<ChallengeRequest>(json)
            .Produces<ChallengeResponse>(StatusCodes.Status200OK, json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, json);
        group.MapPost("/accounts", static (HttpContext context, [FromServices] IServiceProvider services) => Resolve(services).CreateAsync(context))
            .WithName("CreateApiKey")
            .WithSummary("Redeem a signed challenge for an API key (the account is created on first sign-in)")
            .Accepts<CreateAccountRequest>(json)
            .Produces<ApiKeyResponse>(StatusCodes.Status201Created, json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest, json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized, json);
        group.MapGet("/account", static (HttpContext context, [FromServices] IServiceProvider services) => Resolve(services).GetAsync(context))
            .WithName("RetrieveAccount")
            .WithSummary("The caller's balance, reservations, spending and recent charges with their trace ids")
            .Produces<AccountResponse>(StatusCodes.Status200OK, json)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized, json);
        group.MapDelete("/account/keys/{id}", static (HttpContext context, [FromServices] IServiceProvider services) => Resolve(services).RevokeAsync(context))
            .WithName("RevokeApiKey")
            .WithSummary("Revoke one of the caller's API keys")
            .Produces(StatusCodes.Status204NoContent)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound, json);
        group.MapGet("/payees/{address}", static (HttpContext context, [FromServices] IServiceProvider services) => Resolve(services).PayeeAsync(context))
            .WithName("RetrievePayee")
            .WithSummary("A publisher's, contributor's or the protocol's accrued and settled earnings")
            .Produces<PayeeResponse>(StatusCodes.Status200OK, json);
        return endpoints;
    }

    /// <summary>
    /// The endpoint, registered only when billing is on (its ledger and accounts exist only then); with billing off
    /// every account route answers 404 <c>billing_disabled</c>.
    /// </summary>
    private static AccountEndpoints Resolve(IServiceProvider services) =>
        services.GetService<AccountEndpoints>() ?? throw ApiException.NotFound("Billing is off on this server.", null, "billing_disabled");

    public async Task ChallengeAsync(HttpContext context)
    {
        var request = await RequestBodyReader.ReadAsync(context.Request, ServerJsonContext.Default.ChallengeRequest, context.RequestAborted);
        var address = Address(request.Address, "address");
        var challenge = await accounts.CreateChallengeAsync(address, context.RequestAborted);
        await JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            new ChallengeResponse("account.challenge", challenge.Id, challenge.Address, challenge.Message, challenge.ExpiresAt.ToUnixTimeSeconds()),
            ServerJsonContext.Default.ChallengeResponse);
    }

    public async Task CreateAsync(HttpContext context)
    {
        var request = await RequestBodyReader.ReadAsync(context.Request, ServerJsonContext.Default.CreateAccountRequest, context.RequestAborted);
        var address = Address(request.Address, "address");
        var challengeId = Required(request.ChallengeId, "challenge_id");
        var signature = Required(request.Signature, "signature");
        IssuedApiKey key;
        try
        {
            key = await accounts.RedeemChallengeAsync(address, challengeId, signature, context.RequestAborted);
        }
        catch (ChallengeRejectedException ex)
        {
            throw ex.Reason == ChallengeRejection.BadSignature
                ? ApiException.Unauthorized(ex.Message, "signature", "invalid_signature")
                : ApiException.InvalidRequest(ex.Message, "challenge_id", "invalid_challenge");
        }

        await JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status201Created,
            new ApiKeyResponse("api_key", key.KeyId, key.Address, key.ApiKey, key.CreatedAt.ToUnixTimeSeconds()),
            ServerJsonContext.Default.ApiKeyResponse);
    }

    public async Task GetAsync(HttpContext context)
    {
        var address = await Caller(context);
        var limit = 20;
        if (context.Request.Query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000))
        {
            throw ApiException.InvalidRequest("'limit' must be an integer from 1 to 1000.", "limit", "invalid_value");
        }

        var view = await ledger.GetAccountAsync(address, limit, context.RequestAborted);
        var response = view is null
            ? new AccountResponse("account", address, "0", "0", "0", "0", "0", [])
            : new AccountResponse(
                "account",
                view.Address,
                Units(view.Deposited),
                Units(view.Reserved),
                Units(view.Spent),
                Units(view.SettledDebits),
                Units(view.Balance),
                view.RecentCharges.Select(c => new ChargeResponse(c.RequestId, Units(c.Amount), c.TraceId, c.At.ToUnixTimeSeconds(), c.Epoch)).ToList());
        await JsonResponse.WriteAsync(context.Response, StatusCodes.Status200OK, response, ServerJsonContext.Default.AccountResponse);
    }

    public async Task RevokeAsync(HttpContext context)
    {
        var address = await Caller(context);
        var id = context.Request.RouteValues["id"] as string ?? "";
        if (!await accounts.RevokeKeyAsync(address, id, context.RequestAborted))
        {
            throw ApiException.NotFound($"No API key '{id}' on this account.", "id", "api_key_not_found");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task PayeeAsync(HttpContext context)
    {
        var address = Address(context.Request.RouteValues["address"] as string, "address");
        var payee = await ledger.GetPayeeAsync(address, context.RequestAborted);
        await JsonResponse.WriteAsync(
            context.Response,
            StatusCodes.Status200OK,
            new PayeeResponse("payee", payee.Address, Units(payee.Accrued), Units(payee.Settled)),
            ServerJsonContext.Default.PayeeResponse);
    }

    private async Task<string> Caller(HttpContext context) =>
        await billing.AuthenticateAsync(context) ?? throw new InvalidOperationException("Billing is on, so authentication names an account or throws.");

    private static string Address(string? value, string param) =>
        EthAddress.IsValid(value) ? EthAddress.Normalize(value!) : throw ApiException.InvalidRequest($"'{param}' must be a 0x-prefixed 20-byte hex address.", param, "invalid_value");

    private static string Required(string? value, string param) =>
        string.IsNullOrEmpty(value) ? throw ApiException.InvalidRequest($"Missing required parameter: '{param}'.", param, "missing_required_parameter") : value;

    private static string Units(BigInteger amount) => amount.ToString(CultureInfo.InvariantCulture);
}
