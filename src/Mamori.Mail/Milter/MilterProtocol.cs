namespace Mamori.Mail.Milter;

/// <summary>Constants of the Sendmail/Postfix milter protocol, version 6 (libmilter's mfdef.h).</summary>
/// <remarks>The protocol has no published RFC; these are the values libmilter and Postfix's
/// src/milter/milter8.c agree on. Packets are a 4-byte big-endian length (command byte included),
/// a command byte and the data.</remarks>
internal static class MilterProtocol
{
    public const uint Version = 6;

    // Commands from the MTA.
    public const byte OptionNegotiation = (byte)'O';
    public const byte Macro = (byte)'D';
    public const byte Connect = (byte)'C';
    public const byte Helo = (byte)'H';
    public const byte MailFrom = (byte)'M';
    public const byte RcptTo = (byte)'R';
    public const byte Data = (byte)'T';
    public const byte Header = (byte)'L';
    public const byte EndOfHeaders = (byte)'N';
    public const byte Body = (byte)'B';
    public const byte EndOfMessage = (byte)'E';
    public const byte Abort = (byte)'A';
    public const byte Quit = (byte)'Q';
    public const byte QuitNewConnection = (byte)'K';
    public const byte Unknown = (byte)'U';

    // Replies to the MTA.
    public const byte Continue = (byte)'c';
    public const byte Accept = (byte)'a';
    public const byte ReplyCode = (byte)'y';
    public const byte AddHeader = (byte)'h';
    public const byte Quarantine = (byte)'q';
    public const byte TempFail = (byte)'t';

    // Actions the filter may take (SMFIF_*).
    public const uint ActionAddHeaders = 0x01;
    public const uint ActionQuarantine = 0x20;

    // Steps the filter asks the MTA to skip (SMFIP_*): connection-level data is not used.
    public const uint SkipConnect = 0x01;
    public const uint SkipHelo = 0x02;
    public const uint SkipMail = 0x04;
    public const uint SkipRcpt = 0x08;
    public const uint SkipUnknown = 0x100;
    public const uint SkipData = 0x200;

    /// <summary>Largest packet accepted. Postfix sends body chunks of at most 64 KiB; anything far larger is
    /// not a milter peer.</summary>
    public const int MaxPacketBytes = 1024 * 1024;
}
