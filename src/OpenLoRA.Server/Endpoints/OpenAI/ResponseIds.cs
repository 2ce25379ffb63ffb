namespace OpenLoRA.Server.Endpoints.OpenAI;

internal static class ResponseIds
{
    /// <summary>An OpenAI-style id such as <c>chatcmpl-</c> followed by 32 random hex digits.</summary>
    public static string New(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
