namespace OpenLoRA.Server.Endpoints.Adapters;

internal sealed class PeftUploadConverter(BaseModelShapesCache shapes)
{
    public Task<UploadedFile> ConvertAsync(string baseModel, UploadedFile weights, UploadedFile config, UploadWorkspace workspace, CancellationToken cancellationToken)
    {
        _ = shapes.Get(baseModel);
        throw UploadErrors.Invalid(UploadParts.PeftWeights, "PEFT pending");
    }
}
