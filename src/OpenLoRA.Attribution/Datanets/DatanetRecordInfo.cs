namespace OpenLoRA.Attribution.Datanets;

/// <summary>A record as stored in the index: its position in the Datanet, id, contributor and token extent in the corpus.</summary>
public sealed record DatanetRecordInfo(int Index, string Id, string Contributor, int Start, int Length);
