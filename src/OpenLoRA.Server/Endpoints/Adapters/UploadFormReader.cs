using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace OpenLoRA.Server.Endpoints.Adapters;

/// <summary>
/// Reads a multipart/form-data upload section by section straight from the request body: text fields into memory
/// (bounded), files into the workspace while they are hashed and measured, so no part is ever buffered whole and an
/// oversized file is refused as soon as it passes the limit.
/// </summary>
internal static class UploadFormReader
{
    /// <summary>RFC 2046 caps a boundary at 70 characters.</summary>
    private const int MaxBoundaryLength = 70;

    private const int CopyBufferBytes = 81920;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="maxWeightsBytes">Limit of the weights part (<c>file</c> or <c>adapter_model.safetensors</c>).</param>
    /// <param name="bodyLimit">The route's body limit, for the message when Kestrel enforces it.</param>
    public static async Task<UploadForm> ReadAsync(
        HttpRequest request, UploadWorkspace workspace, long maxWeightsBytes, long bodyLimit, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(Boundary(request), request.Body);
        var form = new UploadForm();
        var parts = 0;
        while (await RequestBodyReads.NextSectionAsync(reader, bodyLimit, cancellationToken) is { } section)
        {
            if (++parts > UploadLimits.MaxParts)
            {
                throw UploadErrors.Malformed($"more than {UploadLimits.MaxParts} parts.");
            }

            var (name, isFile) = PartName(section);
            if (form.Fields.ContainsKey(name) || form.Files.ContainsKey(name))
            {
                throw UploadErrors.Invalid(name, $"'{name}' appears more than once.");
            }

            if (FileLimit(name, maxWeightsBytes) is { } limit)
            {
                var path = workspace.NewPath(name);
                form.Files[name] = await ReceiveFileAsync(section.Body, path, name, limit, bodyLimit, cancellationToken);
            }
            else if (isFile)
            {
                throw UploadErrors.Invalid(
                    name, $"Unknown file part '{name}': send '{UploadParts.File}' (GGUF) or '{UploadParts.PeftWeights}' and '{UploadParts.PeftConfig}' (PEFT).");
            }
            else
            {
                form.Fields[name] = await ReadFieldAsync(section.Body, name, bodyLimit, cancellationToken);
            }
        }

        return form;
    }

    private static string Boundary(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw UploadErrors.Malformed("the Content-Type must be multipart/form-data.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > MaxBoundaryLength
            ? throw UploadErrors.Malformed($"the Content-Type needs a boundary of 1 to {MaxBoundaryLength} characters.")
            : boundary;
    }

    private static (string Name, bool IsFile) PartName(MultipartSection section)
    {
        if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
            || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
        {
            throw UploadErrors.Malformed("every part needs a 'Content-Disposition: form-data; name=…' header.");
        }

        return (name, disposition.IsFileDisposition());
    }

    private static long? FileLimit(string name, long maxWeightsBytes) => name switch
    {
        UploadParts.File or UploadParts.PeftWeights => maxWeightsBytes,
        UploadParts.PeftConfig => UploadLimits.MaxConfigBytes,
        _ => null,
    };

    private static async Task<UploadedFile> ReceiveFileAsync(
        Stream body, string path, string name, long limit, long bodyLimit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            long length = 0;
            int read;
            while ((read = await RequestBodyReads.ReadAsync(body, buffer, bodyLimit, cancellationToken)) > 0)
            {
                length += read;
                if (length > limit)
                {
                    throw UploadErrors.TooLarge(name, limit);
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            return new UploadedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string> ReadFieldAsync(Stream body, string name, long bodyLimit, CancellationToken cancellationToken)
    {
        var buffer = new byte[UploadLimits.MaxFieldBytes + 1];
        var length = 0;
        int read;
        while ((read = await RequestBodyReads.ReadAsync(body, buffer.AsMemory(length), bodyLimit, cancellationToken)) > 0)
        {
            length += read;
            if (length > UploadLimits.MaxFieldBytes)
            {
                throw UploadErrors.Invalid(name, $"'{name}' is longer than {UploadLimits.MaxFieldBytes} bytes.");
            }
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            throw UploadErrors.Invalid(name, $"'{name}' is not valid UTF-8.");
        }
    }
}
