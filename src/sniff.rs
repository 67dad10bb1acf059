//! Recognising what a file is by its bytes, whatever its name: a Word
//! document or workbook qingdan reads ([`original`]), or a file it does not
//! read — old binary Office files, encrypted ones, PDFs, images, programs,
//! other archives — refused with [`Code::NotText`], saying what the file is
//! and how to get a `.docx` or `.xlsx` of it, instead of an encoding error
//! at some byte of it.

use memchr::memmem;

use crate::diagnostic::{Code, Diagnostic, Position};
use crate::model::SourceFormat;

/// What a file that is not text is: an original qingdan reads — `.docx`,
/// a ZIP with `word/document.xml`; `.xlsx`, one with `xl/workbook.xml` —
/// or a kind it refuses.
type Sniffed = Result<SourceFormat, Kind>;

/// A kind of file that is not text, and not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A ZIP of Office Open XML parts (`[Content_Types].xml`) that is no
    /// Word document or workbook, or is cut off before saying which.
    OfficeZip,
    /// Any other ZIP archive.
    Zip,
    /// An OLE compound file holding a Word or WPS document (`.doc`, `.wps`).
    Doc,
    /// An OLE compound file holding a workbook (`.xls`, `.et`).
    Xls,
    /// An Office document saved with a password: an OLE compound file
    /// holding the encrypted package.
    Encrypted,
    /// Any other OLE compound file.
    Ole,
    /// A PDF document.
    Pdf,
    /// A PNG, JPEG or GIF image.
    Image(&'static str),
    /// An ELF executable or library.
    Elf,
}

/// How to turn an old Word or WPS document into one qingdan reads.
const WORD_TO_DOCX: &str = "qingdan reads Word documents as .docx: convert it with \
     `libreoffice --headless --convert-to docx FILE` (or open it in Word or WPS and save it as .docx)";

/// How to turn an old workbook into one qingdan reads.
const SHEET_TO_XLSX: &str = "qingdan reads workbooks as .xlsx: convert it with \
     `libreoffice --headless --convert-to xlsx FILE` (or open it in Excel or WPS and save it as .xlsx)";

impl Kind {
    /// What the file is, as the message says it.
    fn name(self) -> &'static str {
        match self {
            Kind::OfficeZip => {
                "an Office file that is no Word document or workbook (.pptx?), or is cut off"
            }
            Kind::Zip => "a ZIP archive",
            Kind::Doc => "a Word or WPS document in the old binary format (.doc, .wps)",
            Kind::Xls => "an Excel or WPS workbook in the old binary format (.xls, .et)",
            Kind::Encrypted => "an encrypted (password-protected) Office document",
            Kind::Ole => "an Office file in the old binary format (.doc, .xls, .wps or similar)",
            Kind::Pdf => "a PDF document",
            Kind::Image(format) => format,
            Kind::Elf => "a program or library (ELF)",
        }
    }

    /// What to do about it.
    fn help(self) -> &'static str {
        match self {
            Kind::Doc | Kind::Ole => WORD_TO_DOCX,
            Kind::Xls => SHEET_TO_XLSX,
            Kind::Encrypted => {
                "remove the password: open the file in Word, Excel or WPS and save a copy without protection"
            }
            Kind::OfficeZip => {
                "give qingdan the list as .docx or .xlsx; if it is one, it is damaged: copy it again, or open it in Word, Excel or WPS and save it anew"
            }
            Kind::Zip => {
                "unpack the archive and give qingdan the edition inside it (.txt, .docx or .xlsx)"
            }
            Kind::Pdf => {
                "qingdan cannot read PDF; get the list as exported text (tab-separated, one row a line) from where it was published"
            }
            Kind::Image(_) => {
                "a scan or screenshot holds no text qingdan can read; get the exported text file of the list"
            }
            Kind::Elf => "check the path: this is not an edition",
        }
    }
}

/// What `bytes` are, when their first bytes say they are no text.
fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    let has = |needle: &[u8]| memmem::find(bytes, needle).is_some();
    let utf16 =
        |name: &str| -> Vec<u8> { name.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    Some(Err(
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            // Member names are stored uncompressed, in each entry's header and
            // again in the directory at the end.
            if has(b"word/document.xml") {
                return Some(Ok(SourceFormat::Docx));
            } else if has(b"xl/workbook.xml") {
                return Some(Ok(SourceFormat::Xlsx));
            } else if has(b"[Content_Types].xml") {
                Kind::OfficeZip
            } else {
                Kind::Zip
            }
        } else if bytes.starts_with(OLE) {
            // Stream names are UTF-16 in the compound file's directory.
            if has(&utf16("EncryptedPackage")) {
                Kind::Encrypted
            } else if has(&utf16("WordDocument")) || has(&utf16("WpsContent")) {
                Kind::Doc
            } else if has(&utf16("Workbook")) || has(&utf16("Book")) {
                Kind::Xls
            } else {
                Kind::Ole
            }
        } else if bytes.starts_with(b"%PDF-") {
            Kind::Pdf
        } else if bytes.starts_with(b"\x89PNG\r\n\x1A\n") {
            Kind::Image("a PNG image")
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Kind::Image("a JPEG image")
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Kind::Image("a GIF image")
        } else if bytes.starts_with(b"\x7FELF") {
            Kind::Elf
        } else {
            return None;
        },
    ))
}

/// The original qingdan reads that `bytes` are, if they are one.
pub(crate) fn original(bytes: &[u8]) -> Option<SourceFormat> {
    sniff(bytes)?.ok()
}

/// The [`Code::NotText`] error for bytes that are a known kind of file
/// qingdan does not read; `None` for anything else (text, and the Word
/// documents and workbooks it reads).
pub(crate) fn not_text(bytes: &[u8]) -> Option<Diagnostic> {
    let kind = sniff(bytes)?.err()?;
    Some(
        Diagnostic::new(
            Code::NotText,
            Position::new(1, 1, 1),
            format!(
                "expected an edition (exported text, .docx or .xlsx), found {}",
                kind.name()
            ),
        )
        .with_help(kind.help()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(name: &str) -> Vec<u8> {
        name.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn office_files_are_told_apart_by_their_parts() {
        let zip = |name: &[u8]| [b"PK\x03\x04\x14\x00".as_slice(), name, b"\x00\x01"].concat();
        assert_eq!(
            sniff(&zip(b"word/document.xml")),
            Some(Ok(SourceFormat::Docx))
        );
        assert_eq!(
            sniff(&zip(b"xl/workbook.xml")),
            Some(Ok(SourceFormat::Xlsx))
        );
        assert_eq!(sniff(&zip(b"notes.txt")), Some(Err(Kind::Zip)));
        let ole = |stream: &str| {
            [
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec(),
                vec![0; 64],
                utf16(stream),
            ]
            .concat()
        };
        assert_eq!(sniff(&ole("WordDocument")), Some(Err(Kind::Doc)));
        assert_eq!(sniff(&ole("Workbook")), Some(Err(Kind::Xls)));
        assert_eq!(sniff(&ole("Other")), Some(Err(Kind::Ole)));
        assert_eq!(sniff(&ole("EncryptedPackage")), Some(Err(Kind::Encrypted)));
        assert_eq!(
            original(&zip(b"word/document.xml")),
            Some(SourceFormat::Docx)
        );
        assert!(not_text(&zip(b"xl/workbook.xml")).is_none());
    }

    #[test]
    fn images_pdfs_and_programs_are_named_and_text_is_not() {
        for (bytes, name) in [
            (&b"%PDF-1.7\n"[..], "a PDF document"),
            (b"\x89PNG\r\n\x1A\n\0\0", "a PNG image"),
            (b"\xFF\xD8\xFF\xE0", "a JPEG image"),
            (b"GIF89a", "a GIF image"),
            (b"\x7FELF\x02\x01", "a program or library (ELF)"),
        ] {
            let d = not_text(bytes).unwrap();
            assert_eq!(d.code, Code::NotText);
            assert!(d.message.ends_with(name), "{}", d.message);
        }
        assert!(not_text("标题\n序号\t事项名称\n".as_bytes()).is_none());
        assert!(not_text(b"PK but not a zip").is_none());
    }
}
