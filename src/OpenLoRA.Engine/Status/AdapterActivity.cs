namespace OpenLoRA.Engine.Status;

/// <summary>The adapter names a model's resident set last published, swapped as one immutable pair.</summary>
internal sealed record AdapterActivity(IReadOnlyList<string> Running, IReadOnlyList<string> Waiting)
{
    public static readonly AdapterActivity None = new([], []);
}
