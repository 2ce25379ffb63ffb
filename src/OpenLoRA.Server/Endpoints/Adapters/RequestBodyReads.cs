using Microsoft.AspNetCore.WebUtilities;
using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// Reads of the upload body, with what a malformed, truncated or oversized body throws turned into a 400 or 413.
/// Only reads go through here, so a failing disk write (an IOException too) still surfaces as a server error.
/// </summary>
internal static class RequestBodyReads
{
    public static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, long bodyLimit, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (Exception ex) when (IsBodyFault(ex))
        {
            throw ToApiException(ex, bodyLimit);
        }
    }

    public static async ValueTask<int> ReadAsync(Stream body, Memory<byte> buffer, long bodyLimit, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception ex) when (IsBodyFault(ex))
        {
            throw ToApiException(ex, bodyLimit);
        }
    }

    // MultipartReader throws IOException for a body that ends before the closing boundary and InvalidDataException
    // for malformed or oversized part headers; Kestrel's BadHttpRequestException (an IOException) covers truncated
    // framing and the body size limit.
    private static bool IsBodyFault(Exception ex) => ex is IOException or InvalidDataException;

    private static ApiException ToApiException(Exception ex, long bodyLimit) => ex switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => UploadErrors.BodyTooLarge(bodyLimit),
        BadHttpRequestException bad => UploadErrors.Malformed(bad.Message),
        _ => UploadErrors.Malformed(ex.Message),
    };
}
