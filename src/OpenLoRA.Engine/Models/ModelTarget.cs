namespace OpenLoRA.Engine.Models;

/// <summary>What a request's <c>model</c> resolved to: a base model and, optionally, one adapter on it.</summary>
public sealed record ModelTarget(BaseModelInfo BaseModel, AdapterInfo? Adapter)
{
    /// <summary>The id echoed back to the client in the <c>model</c> field of responses.</summary>
    public string ResponseModelId => Adapter is null ? BaseModel.Name : Adapter.Name;
}
