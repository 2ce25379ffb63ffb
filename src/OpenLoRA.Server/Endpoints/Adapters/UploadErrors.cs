using OpenLoRA.Server.Errors;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>The errors of <c>POST /v1/adapters</c> that more than one step raises.</summary>
internal static class UploadErrors
{
    public static ApiException TooLarge(string part, long limit) => ApiException.PayloadTooLarge(
        $"'{part}' is larger than the limit of {limit} bytes.", part, "adapter_too_large");

    public static ApiException BodyTooLarge(long limit) => ApiException.PayloadTooLarge(
        $"The upload is larger than the limit of {limit} bytes.", null, "adapter_too_large");

    public static ApiException Malformed(string detail) => ApiException.InvalidRequest(
        $"The request body is not a valid multipart/form-data upload: {detail}", null, "invalid_multipart");

    public static ApiException Missing(string part) => ApiException.InvalidRequest(
        $"'{part}' is required.", part, "missing_required_parameter");

    public static ApiException Invalid(string part, string message, string code = "invalid_value") =>
        ApiException.InvalidRequest(message, part, code);
}
