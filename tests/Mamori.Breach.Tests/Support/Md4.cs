using System.Buffers.Binary;
using System.Numerics;

namespace Mamori.Breach.Tests.Support;

/// <summary>MD4 (RFC 1320), written by hand for the tests: .NET has no MD4, and NTLM hashes (MD4 of the UTF-16LE
/// password) are needed to build an NTLM test corpus. Checked against the RFC's test suite in Md4Tests.</summary>
internal static class Md4
{
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        uint a = 0x67452301, b = 0xEFCDAB89, c = 0x98BADCFE, d = 0x10325476;
        int paddedLength = ((message.Length + 8) / 64 + 1) * 64;
        byte[] data = new byte[paddedLength];
        message.CopyTo(data);
        data[message.Length] = 0x80;
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(paddedLength - 8), (ulong)message.Length * 8);

        Span<uint> x = stackalloc uint[16];
        for (int block = 0; block < paddedLength; block += 64)
        {
            for (int i = 0; i < 16; i++) x[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(block + i * 4));
            uint aa = a, bb = b, cc = c, dd = d;

            // Round 1: F(x, y, z) = xy | ~x z
            for (int i = 0; i < 16; i += 4)
            {
                a = BitOperations.RotateLeft(a + ((b & c) | (~b & d)) + x[i], 3);
                d = BitOperations.RotateLeft(d + ((a & b) | (~a & c)) + x[i + 1], 7);
                c = BitOperations.RotateLeft(c + ((d & a) | (~d & b)) + x[i + 2], 11);
                b = BitOperations.RotateLeft(b + ((c & d) | (~c & a)) + x[i + 3], 19);
            }
            // Round 2: G(x, y, z) = xy | xz | yz, plus 0x5A827999
            for (int i = 0; i < 4; i++)
            {
                a = BitOperations.RotateLeft(a + ((b & c) | (b & d) | (c & d)) + x[i] + 0x5A827999, 3);
                d = BitOperations.RotateLeft(d + ((a & b) | (a & c) | (b & c)) + x[i + 4] + 0x5A827999, 5);
                c = BitOperations.RotateLeft(c + ((d & a) | (d & b) | (a & b)) + x[i + 8] + 0x5A827999, 9);
                b = BitOperations.RotateLeft(b + ((c & d) | (c & a) | (d & a)) + x[i + 12] + 0x5A827999, 13);
            }
            // Round 3: H(x, y, z) = x ^ y ^ z, plus 0x6ED9EBA1, words in the order 0 8 4 12 2 10 6 14 1 9 5 13 3 11 7 15
            ReadOnlySpan<int> order = [0, 2, 1, 3];
            foreach (int i in order)
            {
                a = BitOperations.RotateLeft(a + (b ^ c ^ d) + x[i] + 0x6ED9EBA1, 3);
                d = BitOperations.RotateLeft(d + (a ^ b ^ c) + x[i + 8] + 0x6ED9EBA1, 9);
                c = BitOperations.RotateLeft(c + (d ^ a ^ b) + x[i + 4] + 0x6ED9EBA1, 11);
                b = BitOperations.RotateLeft(b + (c ^ d ^ a) + x[i + 12] + 0x6ED9EBA1, 15);
            }
            a += aa;
            b += bb;
            c += cc;
            d += dd;
        }

        byte[] digest = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(digest, a);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4), b);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(8), c);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(12), d);
        return digest;
    }

    /// <summary>The NTLM hash of a password: MD4 of its UTF-16LE bytes.</summary>
    public static byte[] Ntlm(string password) => Hash(System.Text.Encoding.Unicode.GetBytes(password));
}
