using OpenLoRA.Engine.Adapters.Registry;

namespace OpenLoRA.Engine.Adapters.Publishing;

/// <summary>Who may use a name: its first publisher, and nobody for names and contents the operator configured.</summary>
internal sealed partial class AdapterPublisher
{
    /// <summary>Early, cheap refusal before hashing; the transaction checks ownership again.</summary>
    private void CheckNameAvailable(string name, string publisher)
    {
        // The server checks the same rule on the form; this one holds for every caller of the publisher.
        if (AdapterNameRule.Check(name) is { } problem)
        {
            throw AdapterPublishException.Invalid(problem, "name");
        }

        var owner = _registry.NameOwner(name);
        if (owner is not null && !Publishers.Same(owner, publisher))
        {
            throw AdapterPublishException.Forbidden($"The name '{name}' belongs to another publisher.", "name");
        }

        CheckReserved(name, sha256: null);
    }

    private void CheckReserved(string name, string? sha256)
    {
        if (_catalog.BaseModels.Any(m => m.Name == name))
        {
            throw AdapterPublishException.Forbidden($"'{name}' is the name of a base model.", "name");
        }

        foreach (var configured in _catalog.Adapters)
        {
            if (configured.Source == AdapterSources.Upload)
            {
                continue;
            }

            if (configured.Name == name)
            {
                throw AdapterPublishException.Forbidden($"The name '{name}' is reserved by a configured adapter.", "name");
            }

            if (configured.Sha256 == sha256)
            {
                throw AdapterPublishException.Conflict($"This adapter is already served as the configured adapter '{configured.Name}'.", "file");
            }
        }
    }
}
