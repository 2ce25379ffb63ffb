using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;
using OpenLoRA.Attribution.Traces;
using OpenLoRA.Billing.Ledger;
using OpenLoRA.Server.Billing;

namespace OpenLoRA.Server.Attribution;

/// <summary>
/// The response's trace as the charge's companion record: signed with the amount the ledger actually charges and
/// inserted in the charge's transaction, so a crash or a failed write leaves both or neither.
/// </summary>
internal sealed class TraceChargeCompanion(IResponseTracer tracer, TracedResponse response, Attributed attribution) : IChargeCompanion
{
    /// <summary>True once <see cref="Write"/> ran; the trace is durable only when the charge's commit then succeeds.</summary>
    public bool Written { get; private set; }

    public void Write(SqliteTransaction transaction, BigInteger charged)
    {
        tracer.Write(transaction, response, attribution, new TraceCharge(charged.ToString(CultureInfo.InvariantCulture), OpenAmount.Currency));
        Written = true;
    }
}
