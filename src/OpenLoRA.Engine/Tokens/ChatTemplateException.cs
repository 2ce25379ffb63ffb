namespace OpenLoRA.Engine.Tokens;

/// <summary>llama.cpp's template engine refused a model's chat template: the model cannot be served.</summary>
public sealed class ChatTemplateException(string message) : Exception(message);
