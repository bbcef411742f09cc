using System.Text;
using MimeKit;

namespace Mamori.Mail.Tests.Support;

/// <summary>Builds Japanese business mail the way Japanese MUAs send it: ISO-2022-JP headers and text.</summary>
internal static class JapaneseMail
{
    static JapaneseMail() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Iso2022Jp => Encoding.GetEncoding("iso-2022-jp");

    public sealed record Spec(string FromName, string FromAddress, string Subject, string Body)
    {
        public string ToName { get; init; } = "山田 太郎 様";
        public string ToAddress { get; init; } = "yamada@example.co.jp";
        public string? InReplyTo { get; init; }
        public string? ReplyTo { get; init; }
        public string? Html { get; init; }
        public (string Name, string MediaSubtype, byte[] Data)[] Attachments { get; init; } = [];
        public (string Name, string Value)[] ExtraHeaders { get; init; } = [];
    }

    public static byte[] Build(Spec spec)
    {
        Encoding iso = Iso2022Jp;
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(iso, spec.FromName, spec.FromAddress));
        message.To.Add(new MailboxAddress(iso, spec.ToName, spec.ToAddress));
        if (spec.ReplyTo is not null) message.ReplyTo.Add(MailboxAddress.Parse(spec.ReplyTo));
        message.Headers.Replace(HeaderId.Subject, iso, spec.Subject);
        message.Date = new DateTimeOffset(2019, 12, 2, 10, 15, 0, TimeSpan.FromHours(9));
        message.MessageId = $"{Guid.NewGuid():N}@mail.example";
        if (spec.InReplyTo is not null)
        {
            message.InReplyTo = spec.InReplyTo;
            message.References.Add(spec.InReplyTo);
        }
        foreach ((string name, string value) in spec.ExtraHeaders) message.Headers.Add(name, value);

        var text = new TextPart("plain") { ContentTransferEncoding = ContentEncoding.SevenBit };
        text.SetText(iso, spec.Body);
        MimeEntity body = text;
        if (spec.Html is not null)
        {
            var html = new TextPart("html");
            html.SetText(Encoding.UTF8, spec.Html);
            body = new MultipartAlternative { text, html };
        }
        if (spec.Attachments.Length > 0)
        {
            var mixed = new Multipart("mixed") { body };
            foreach ((string name, string subtype, byte[] data) in spec.Attachments)
            {
                var part = new MimePart("application", subtype)
                {
                    Content = new MimeContent(new MemoryStream(data)),
                    ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                    ContentTransferEncoding = ContentEncoding.Base64,
                };
                part.ContentDisposition.Parameters.Add(iso, "filename", name);
                mixed.Add(part);
            }
            body = mixed;
        }
        message.Body = body;
        var output = new MemoryStream();
        FormatOptions format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;   // SMTP's line ending, as an MTA would hand it on
        message.WriteTo(format, output);
        return output.ToArray();
    }
}
