using System.Net;
using System.Text;
using OpenLoRA.Gguf.TestModels;
using OpenLoRA.IntegrationTests.Infrastructure;

namespace OpenLoRA.IntegrationTests.Adapters;

/// <summary>PEFT uploads (adapter_model.safetensors + adapter_config.json), converted to GGUF on the server.</summary>
[Collection(AdapterServerCollection.Name)]
public sealed class AdapterPeftUploadTests(AdapterServerFixture server)
{
    [Fact]
    public async Task Upload_PeftFormOfAnAdapter_IsConvertedAndAnswersLikeTheGgufForm()
    {
        var key = new PublisherKey();
        var gguf = server.VariantPath(801);
        var (safetensors, config) = PeftAdapterWriter.FromGguf(gguf, server.BaseModelPath, server.Folder("peft-801"));
        await server.Http.PublishAsync(new SignedUpload("gguf-form", await File.ReadAllBytesAsync(gguf), key));
        var upload = SignedUpload.Peft("peft-form", safetensors, config, key);

        var adapter = await server.Http.PublishAsync(upload);

        Assert.Equal("peft", adapter.GetProperty("format").GetString());
        Assert.NotEqual(upload.Sha256, adapter.GetProperty("id").GetString());
        Assert.Equal(4, adapter.GetProperty("rank").GetInt32());
        Assert.Equal(await ChatProbe.CompleteAsync(server, "gguf-form"), await ChatProbe.CompleteAsync(server, "peft-form"));
    }

    [Fact]
    public async Task Upload_PeftWithDoraConfig_Returns400WithTheConverterReason()
    {
        var (safetensors, config) = PeftAdapterWriter.FromGguf(server.VariantPath(802), server.BaseModelPath, server.Folder("peft-802"));
        var upload = SignedUpload.Peft("peft-dora", safetensors, config, new PublisherKey()) with
        {
            PeftConfig = Encoding.UTF8.GetBytes("""{"peft_type":"LORA","r":4,"lora_alpha":8,"use_dora":true,"target_modules":["q_proj"]}"""),
        };

        using var response = await server.Http.UploadAsync(upload);

        var error = await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_adapter");
        Assert.Contains("use_dora", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upload_TruncatedSafetensors_Returns400AndServerKeepsServing()
    {
        var (safetensors, config) = PeftAdapterWriter.FromGguf(server.VariantPath(803), server.BaseModelPath, server.Folder("peft-803"));
        var upload = SignedUpload.Peft("peft-truncated", safetensors, config, new PublisherKey());
        upload = upload with { Weights = upload.Weights[..(upload.Weights.Length / 2)] };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, code: "invalid_adapter");
        await ChatProbe.CompleteAsync(server, TestModels.Adapter);
    }

    [Fact]
    public async Task Upload_PeftWeightsWithoutConfig_Returns400MissingConfig()
    {
        var (safetensors, config) = PeftAdapterWriter.FromGguf(server.VariantPath(804), server.BaseModelPath, server.Folder("peft-804"));
        var upload = SignedUpload.Peft("peft-no-config", safetensors, config, new PublisherKey()) with { PeftConfig = null };

        using var response = await server.Http.UploadAsync(upload);

        await ErrorAssert.IsErrorAsync(response, HttpStatusCode.BadRequest, param: "adapter_config.json", code: "missing_required_parameter");
    }
}
