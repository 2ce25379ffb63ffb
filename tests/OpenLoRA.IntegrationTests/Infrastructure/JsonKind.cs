namespace OpenLoRA.IntegrationTests.Infrastructure;

/// <summary>The JSON type a request field takes, so the corpus sends it only values of other types.</summary>
internal enum JsonKind
{
    String,
    Integer,
    Number,
    Boolean,
    Object,
    ArrayOfObjects,
    StringOrStrings,
}
