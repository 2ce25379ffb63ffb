namespace OpenLoRA.Server.Endpoints.Accounts.Contracts;

/// <summary><c>POST /v1/accounts/challenge</c> body.</summary>
internal sealed record ChallengeRequest(string? Address);

/// <summary>A sign-in challenge: sign <c>message</c> (EIP-191) with the address's key before <c>expires_at</c>.</summary>
internal sealed record ChallengeResponse(string Object, string ChallengeId, string Address, string Message, long ExpiresAt);

/// <summary><c>POST /v1/accounts</c> body: the redeemed challenge.</summary>
internal sealed record CreateAccountRequest(string? Address, string? ChallengeId, string? Signature);

/// <summary>A new API key; <c>api_key</c> is shown this once (only its hash is stored).</summary>
internal sealed record ApiKeyResponse(string Object, string Id, string Address, string ApiKey, long Created);

/// <summary>One charge of an account. Amounts are strings of OPEN base units (18 decimals).</summary>
internal sealed record ChargeResponse(string RequestId, string Amount, string? TraceId, long Created, long? Epoch);

/// <summary><c>GET /v1/account</c>. Amounts are strings of OPEN base units; <c>balance</c> = deposited − reserved − spent − settled.</summary>
internal sealed record AccountResponse(
    string Object,
    string Address,
    string Deposited,
    string Reserved,
    string Spent,
    string Settled,
    string Balance,
    IReadOnlyList<ChargeResponse> RecentCharges);

/// <summary><c>GET /v1/payees/{address}</c>: earnings accrued since the last settled epoch, and settled on-chain.</summary>
internal sealed record PayeeResponse(string Object, string Address, string Accrued, string Settled);

/// <summary>A model's price per 1,000 tokens in OPEN base units, platform fee included.</summary>
internal sealed record PriceResponse(
    string Model,
    string? Parent,
    [property: System.Text.Json.Serialization.JsonPropertyName("input_per_1k")] string InputPer1K,
    [property: System.Text.Json.Serialization.JsonPropertyName("output_per_1k")] string OutputPer1K);

/// <summary><c>GET /v1/prices</c>.</summary>
internal sealed record PriceListResponse(string Object, int PlatformFeeBps, IReadOnlyList<PriceResponse> Data);
