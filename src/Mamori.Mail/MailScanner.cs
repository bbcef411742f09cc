using System.Text;
using Mamori.Mail.Analysis;
using Mamori.Mail.Policy;
using MimeKit;

namespace Mamori.Mail;

/// <summary>Screens one RFC 5322 message: findings with stable codes, a score, a verdict.</summary>
/// <remarks>The one entry point the CLI, the HTTP endpoints and the milter all call. Thread-safe after
/// construction (options are copied; each scan has its own state). Attachments are examined in memory;
/// nothing from a message is written to disk or executed.</remarks>
public sealed class MailScanner
{
    private readonly MailScannerOptions _options;
    private readonly MailPolicy _policy;
    private readonly string[] _protectedDomains;
    private readonly HashSet<string> _trustedAuthServIds;
    private readonly ParserOptions _parserOptions;

    static MailScanner()
    {
        // ISO-2022-JP and Shift_JIS live in the code pages provider; without it MimeKit leaves Japanese
        // headers and bodies undecoded (TOOLCHAIN.md).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Builds a scanner; the options are validated and copied.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public MailScanner(MailScannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = Copy(options);
        _policy = new MailPolicy(_options);
        _protectedDomains = [.. _options.OwnDomains.Concat(_options.PartnerDomains).Select(DomainNames.OrganisationalDomain).Distinct()];
        _trustedAuthServIds = new HashSet<string>(_options.TrustedAuthServIds, StringComparer.OrdinalIgnoreCase);
        _parserOptions = ParserOptions.Default.Clone();
        _parserOptions.MaxMimeDepth = _options.MaxMimeDepth;
    }

    /// <summary>The options in force (a copy; changing it does nothing).</summary>
    public MailScannerOptions Options => _options;

    /// <summary>The policy in force.</summary>
    public MailPolicy Policy => _policy;

    /// <summary>Scans a raw message (at most <see cref="MailScannerOptions.MaxMessageBytes"/> of it).</summary>
    public MailScanResult Scan(ReadOnlyMemory<byte> raw)
    {
        var context = new ScanContext(_options);
        if (raw.Length > _options.MaxMessageBytes)
        {
            context.Add(MailFindingCode.ScanLimitReached, $"the message has {raw.Length} bytes; only the first {_options.MaxMessageBytes} were scanned");
            raw = raw[.._options.MaxMessageBytes];
        }
        MimeMessage message;
        try
        {
            using MemoryStream stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(raw, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(raw.ToArray(), writable: false);
            message = MimeMessage.Load(_parserOptions, stream);
        }
        catch (FormatException ex)
        {
            context.Add(MailFindingCode.MalformedContainer, $"the message is not parseable MIME ({ex.Message})");
            return _policy.Decide(context.Findings);
        }
        return Scan(message, context);
    }

    /// <summary>Scans a message read from <paramref name="stream"/>, reading at most the size limit plus one byte.</summary>
    public async Task<MailScanResult> ScanAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        byte[] raw = await ReadBoundedAsync(stream, _options.MaxMessageBytes + 1L, cancellationToken).ConfigureAwait(false);
        return Scan(raw);
    }

    /// <summary>Scans a parsed message.</summary>
    public MailScanResult Scan(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Scan(message, new ScanContext(_options));
    }

    private MailScanResult Scan(MimeMessage message, ScanContext context)
    {
        HeaderAnalyzer.Analyze(message, context, _protectedDomains, _trustedAuthServIds);

        var attachments = new List<MimePart>();
        var text = new StringBuilder();
        foreach (MimeEntity entity in message.BodyParts)
        {
            if (entity is not MimePart part) continue;
            bool attachment = part.IsAttachment || !string.IsNullOrEmpty(part.FileName);
            if (part is TextPart textPart && !attachment)
            {
                if (text.Length >= BodyAnalyzer.MaxTextChars) continue;
                string content = SafeText(textPart, BodyAnalyzer.MaxTextChars * 4);
                if (textPart.IsHtml) content = BodyAnalyzer.AnalyzeHtml(content, context, _protectedDomains);
                text.Append(content.AsSpan(0, Math.Min(content.Length, BodyAnalyzer.MaxTextChars - text.Length))).Append('\n');
            }
            else
            {
                attachments.Add(part);
            }
        }
        // The text comes first: it holds the passwords the attachments may need.
        BodyAnalyzer.AnalyzeText(text.ToString(), context);

        foreach (MimePart part in attachments)
        {
            string name = part.FileName ?? part.ContentType.Name ?? $"(unnamed {part.ContentType.MimeType})";
            byte[]? data = Decode(part, context);
            if (data is null) continue;
            try
            {
                AttachmentAnalyzer.Inspect(name, data, depth: 0, context);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A reader bug on a hostile file must not crash the scan or pass the message silently: it becomes
                // a finding, and the other parts are still examined.
                context.Add(MailFindingCode.MalformedContainer, $"'{name}' could not be examined ({ex.GetType().Name})");
            }
        }
        return _policy.Decide(context.Findings);
    }

    private byte[]? Decode(MimePart part, ScanContext context)
    {
        if (part.Content is null) return [];
        var output = new BoundedMemoryStream(_options.MaxPartBytes);
        try
        {
            part.Content.DecodeTo(output);
        }
        catch (BoundedMemoryStream.LimitReachedException)
        {
            context.Add(MailFindingCode.ScanLimitReached, $"attachment '{part.FileName}' is larger than {_options.MaxPartBytes} bytes; it was not examined");
            return null;
        }
        return output.ToArray();
    }

    /// <summary>Decodes a text part without exceptions: the declared charset when it is known, else UTF-8 with
    /// replacement characters.</summary>
    /// <remarks><c>TextPart.Text</c> guesses undeclared charsets by trying UTF-8 with an exception fallback,
    /// which cost about 200 µs per part on the SpamAssassin ham corpus — most of a scan.</remarks>
    private static string SafeText(TextPart part, int maxBytes)
    {
        if (part.Content is null) return "";
        var buffer = new BoundedMemoryStream(maxBytes);
        try { part.Content.DecodeTo(buffer); }
        catch (BoundedMemoryStream.LimitReachedException) { /* keep what fitted: lures and passwords sit at the top */ }
        Encoding encoding = s_utf8Lenient;
        string? charset = part.ContentType.Charset;
        if (!string.IsNullOrEmpty(charset))
        {
            try { encoding = Encoding.GetEncoding(charset, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback); }
            catch (ArgumentException) { /* unknown charset label: UTF-8 with replacements */ }
        }
        return encoding.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static readonly Encoding s_utf8Lenient = new UTF8Encoding(false, throwOnInvalidBytes: false);

    internal static async Task<byte[]> ReadBoundedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[81_920];
        int read;
        while (buffer.Length < limit && (read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    private static MailScannerOptions Copy(MailScannerOptions source)
    {
        var copy = new MailScannerOptions
        {
            MaxMessageBytes = source.MaxMessageBytes, MaxMimeDepth = source.MaxMimeDepth, MaxPartBytes = source.MaxPartBytes,
            MaxArchiveMembers = source.MaxArchiveMembers, MaxNestingDepth = source.MaxNestingDepth,
            MaxDecompressionRatio = source.MaxDecompressionRatio, MaxExpandedBytes = source.MaxExpandedBytes,
            MaxPasswordCandidates = source.MaxPasswordCandidates, TagScore = source.TagScore,
            QuarantineScore = source.QuarantineScore, RejectScore = source.RejectScore,
        };
        foreach (string d in source.OwnDomains) copy.OwnDomains.Add(d);
        foreach (string d in source.PartnerDomains) copy.PartnerDomains.Add(d);
        foreach (string d in source.TrustedAuthServIds) copy.TrustedAuthServIds.Add(d);
        foreach (KeyValuePair<MailFindingCode, double> w in source.Weights) copy.Weights[w.Key] = w.Value;
        return copy;
    }

    /// <summary>A memory stream that refuses to grow past a limit, so decoding a hostile attachment stops early.</summary>
    private sealed class BoundedMemoryStream(int limit) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > limit) throw new LimitReachedException();
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > limit) throw new LimitReachedException();
            base.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            if (Length + 1 > limit) throw new LimitReachedException();
            base.WriteByte(value);
        }

        public sealed class LimitReachedException : IOException;
    }
}
