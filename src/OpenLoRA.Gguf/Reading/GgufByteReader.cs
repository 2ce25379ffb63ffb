using System.Buffers.Binary;
using System.Text;

namespace OpenLoRA.Gguf.Reading;

/// <summary>
/// Little-endian primitives over a seekable stream, with every read checked against the bytes left in the file,
/// so a declared length can never make us allocate or read past the end.
/// </summary>
internal sealed class GgufByteReader
{
    // Large enough that a whole header of a typical adapter is one read; strings longer than this are read directly.
    private const int BufferSize = 64 * 1024;

    // GGUF_MAX_STRING_LENGTH in gguf.cpp: llama.cpp refuses longer strings, so nothing valid is lost.
    private const ulong MaxStringBytes = 1UL << 30;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[BufferSize];
    private long _bufferPosition;
    private int _next;
    private int _end;

    public GgufByteReader(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
        _stream.Position = 0;
    }

    public long Length { get; }

    public long Position => _bufferPosition + _next;

    public long Remaining => Length - Position;

    public byte ReadByte(string what) => Take(1, what)[0];

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public ReadOnlySpan<byte> ReadSpan(int count, string what) => Take(count, what);

    /// <summary>A u64 length then that many bytes, decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string ReadString(string what, out bool hasNul)
    {
        var length = ReadUInt64(what + " length");
        if (length > (ulong)Remaining)
        {
            throw new GgufFormatException(
                $"{what}: string length {length} at byte {Position - 8} exceeds the {Remaining} bytes left in the file");
        }

        if (length > MaxStringBytes)
        {
            throw new GgufFormatException($"{what}: string length {length} at byte {Position - 8} exceeds the 1 GiB limit of gguf.cpp");
        }

        var count = (int)length;

        if (count <= BufferSize)
        {
            var bytes = Take(count, what);
            hasNul = bytes.Contains((byte)0);
            return Utf8.GetString(bytes);
        }

        var large = new byte[count];
        var buffered = _end - _next;
        _buffer.AsSpan(_next, buffered).CopyTo(large);
        _stream.Position = Position + buffered;
        ReadExactly(large.AsSpan(buffered), what);
        _bufferPosition += _next + count;
        _next = 0;
        _end = 0;
        hasNul = large.AsSpan().Contains((byte)0);
        return Utf8.GetString(large);
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new GgufFormatException(
                $"file ends at byte {Length} while reading {what} ({count} bytes needed at byte {Position})");
        }

        if (_end - _next < count)
        {
            Refill(count, what);
        }

        var span = _buffer.AsSpan(_next, count);
        _next += count;
        return span;
    }

    private void Refill(int count, string what)
    {
        var kept = _end - _next;
        _buffer.AsSpan(_next, kept).CopyTo(_buffer);
        _bufferPosition += _next;
        _next = 0;
        _end = kept;
        _stream.Position = _bufferPosition + kept;
        var wanted = (int)Math.Min(BufferSize - kept, Length - (_bufferPosition + kept));
        ReadExactly(_buffer.AsSpan(kept, wanted), what);
        _end += wanted;
        if (_end < count)
        {
            throw new GgufFormatException($"file ends at byte {_bufferPosition + _end} while reading {what}");
        }
    }

    private void ReadExactly(Span<byte> destination, string what)
    {
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException ex)
        {
            // The file shrank while we read it: report it as truncated like any other short file.
            throw new GgufFormatException($"file ended early while reading {what}", ex);
        }
    }
}
