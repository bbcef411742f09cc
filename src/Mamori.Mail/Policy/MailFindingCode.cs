using System.Diagnostics;

namespace Mamori.Mail.Policy;

/// <summary>What the mail scanner found in one message. Each code has a stable wire name.</summary>
/// <remarks>Anchors, where a peer has the same idea: SpamAssassin OLEVBMACRO (macro, malice, renamed,
/// encrypted, zip-password), FROM_NEQ_DISPLAY_NAME, SPOOF_REPLYTO, FAKE_REPLY; rspamd
/// MIME_ENCRYPTED_ARCHIVE; oletools mraptor (auto-exec plus write or execute).</remarks>
public enum MailFindingCode : byte
{
    /// <summary>An Office document (OLE or OOXML) carries a VBA project.</summary>
    MacroPresent,
    /// <summary>A VBA macro runs by itself when the document opens or closes (AutoOpen, Document_Open,
    /// Workbook_Open…): what SpamAssassin's OLEMACRO_MALICE looks for.</summary>
    MacroAutorun,
    /// <summary>oletools mraptor's rule: a macro that runs by itself and also writes files or executes
    /// something (Shell, CreateObject, URLDownloadToFile…).</summary>
    MacroSuspicious,
    /// <summary>Macro content under a file name whose extension does not announce macros.</summary>
    MacroRenamed,
    /// <summary>An Office document encrypted with a password, so its content cannot be inspected.</summary>
    EncryptedOfficeDocument,
    /// <summary>An archive with encrypted members.</summary>
    EncryptedArchive,
    /// <summary>An encrypted archive whose member names announce Office documents able to hold macros.</summary>
    EncryptedArchiveOfficeMacro,
    /// <summary>The text says where a password is ("パスワード", "PW:", "password").</summary>
    PasswordInBody,
    /// <summary>An OOXML relationship to an external target (remote template, linked object, external link).</summary>
    ExternalTemplate,
    /// <summary>An OOXML relationship Office follows by itself on open (attachedTemplate, oleObject, frame):
    /// remote template injection.</summary>
    RemoteTemplateLoad,
    /// <summary>An Excel 4.0 (XLM) macro sheet.</summary>
    Excel4Macro,
    /// <summary>The From display name holds an address of another domain than the sender's.</summary>
    DisplayNameAddressMismatch,
    /// <summary>The From display name ends in an honorific or starts with a department copied from an address book.</summary>
    DisplayNameHonorific,
    /// <summary>A reply or forward subject on a message with no In-Reply-To or References.</summary>
    ReplyWithoutThread,
    /// <summary>Reply-To leads to another organisation than From.</summary>
    ReplyToMismatch,
    /// <summary>A sender or link domain confusable with, or one edit from, an own or partner domain.</summary>
    LookalikeDomain,
    /// <summary>A link whose visible text names another host than the one it opens.</summary>
    LinkTextMismatch,
    /// <summary>An attachment or archive member that is a program or script.</summary>
    ExecutableAttachment,
    /// <summary>An archive that expands beyond the configured ratio or size (zip bomb).</summary>
    ArchiveBomb,
    /// <summary>A limit (size, MIME depth, members, nesting) stopped the scan before the end.</summary>
    ScanLimitReached,
    /// <summary>A part that claims a container format but cannot be parsed.</summary>
    MalformedContainer,
    /// <summary>A CSV attachment with a formula calling another program (DDE).</summary>
    CsvDde,
    /// <summary>Text pressing the reader to act on a suspended or locked account ("your account was suspended, click here").</summary>
    AccountSuspensionLure,
    /// <summary>A trusted MTA recorded an SPF failure.</summary>
    SpfFail,
    /// <summary>A trusted MTA recorded a DKIM failure.</summary>
    DkimFail,
    /// <summary>A trusted MTA recorded a DMARC failure.</summary>
    DmarcFail,
}

/// <summary>Wire names of <see cref="MailFindingCode"/>.</summary>
public static class MailFindingCodeNames
{
    /// <summary>Every code, in declaration order.</summary>
    public static IReadOnlyList<MailFindingCode> All { get; } = Enum.GetValues<MailFindingCode>();

    // Wire names are public: MTA rules, SIEM searches and the milter header match on them. Never rename one.
    /// <summary>The stable snake_case name of <paramref name="code"/>.</summary>
    public static string ToWireName(this MailFindingCode code) => code switch
    {
        MailFindingCode.MacroPresent => "macro_present",
        MailFindingCode.MacroAutorun => "macro_autorun",
        MailFindingCode.MacroSuspicious => "macro_suspicious",
        MailFindingCode.MacroRenamed => "macro_renamed",
        MailFindingCode.EncryptedOfficeDocument => "encrypted_office_document",
        MailFindingCode.EncryptedArchive => "encrypted_archive",
        MailFindingCode.EncryptedArchiveOfficeMacro => "encrypted_archive_office_macro",
        MailFindingCode.PasswordInBody => "password_in_body",
        MailFindingCode.ExternalTemplate => "external_template",
        MailFindingCode.RemoteTemplateLoad => "remote_template_load",
        MailFindingCode.Excel4Macro => "excel4_macro",
        MailFindingCode.DisplayNameAddressMismatch => "display_name_address_mismatch",
        MailFindingCode.DisplayNameHonorific => "display_name_honorific",
        MailFindingCode.ReplyWithoutThread => "reply_without_thread",
        MailFindingCode.ReplyToMismatch => "reply_to_mismatch",
        MailFindingCode.LookalikeDomain => "lookalike_domain",
        MailFindingCode.LinkTextMismatch => "link_text_mismatch",
        MailFindingCode.ExecutableAttachment => "executable_attachment",
        MailFindingCode.ArchiveBomb => "archive_bomb",
        MailFindingCode.ScanLimitReached => "scan_limit_reached",
        MailFindingCode.MalformedContainer => "malformed_container",
        MailFindingCode.CsvDde => "csv_dde",
        MailFindingCode.AccountSuspensionLure => "account_suspension_lure",
        MailFindingCode.SpfFail => "spf_fail",
        MailFindingCode.DkimFail => "dkim_fail",
        MailFindingCode.DmarcFail => "dmarc_fail",
        _ => throw new UnreachableException($"MailFindingCode {code} has no wire name."),
    };
}
