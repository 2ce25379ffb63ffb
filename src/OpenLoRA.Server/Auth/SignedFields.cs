namespace OpenLoRA.Server.Auth;

/// <summary>
/// The three parts of a signed publisher request as sent (null or empty when absent) and the names of the fields or
/// headers they came in, which errors name.
/// </summary>
internal sealed record SignedFields(
    string? Signature,
    string? Timestamp,
    string? Publisher,
    string SignatureParam,
    string TimestampParam,
    string PublisherParam)
{
    public const string SignatureHeader = "OpenLoRA-Signature";
    public const string TimestampHeader = "OpenLoRA-Timestamp";
    public const string PublisherHeader = "OpenLoRA-Publisher";

    /// <summary>The signed headers of a DELETE or Datanet upload.</summary>
    public static SignedFields FromHeaders(IHeaderDictionary headers) => new(
        headers[SignatureHeader].ToString(),
        headers[TimestampHeader].ToString(),
        headers[PublisherHeader].ToString(),
        SignatureHeader,
        TimestampHeader,
        PublisherHeader);
}
