//! Attached files — 证据材料 of a check, 整改报告, a department's 复函, 现场踏查 photos, scanned
//! licences, a 移出申请's 证明材料: the one size limit, and the kinds accepted where only
//! pictures and PDFs are, told by their first bytes (a name's extension is not trusted).

/// The largest attached file, bytes (10 MB; also the web server's request limit).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// A picture or PDF, by its signature: JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`
/// (ISO/IEC 15948), PDF `%PDF-` (ISO 32000).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// JPEG photo.
    Jpeg,
    /// PNG picture.
    Png,
    /// PDF document.
    Pdf,
}

impl AttachmentKind {
    /// The kind of `bytes`; `None` for anything that is not a JPEG, PNG or PDF.
    pub fn of(bytes: &[u8]) -> Option<AttachmentKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(AttachmentKind::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(AttachmentKind::Pdf)
        } else {
            None
        }
    }

    /// Its media type: `image/jpeg`, `image/png`, `application/pdf`.
    pub fn mime(self) -> &'static str {
        match self {
            AttachmentKind::Jpeg => "image/jpeg",
            AttachmentKind::Png => "image/png",
            AttachmentKind::Pdf => "application/pdf",
        }
    }

    /// Its usual extension: `jpg`, `png`, `pdf`.
    pub fn extension(self) -> &'static str {
        match self {
            AttachmentKind::Jpeg => "jpg",
            AttachmentKind::Png => "png",
            AttachmentKind::Pdf => "pdf",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_their_first_bytes() {
        assert_eq!(
            AttachmentKind::of(b"%PDF-1.7 ..."),
            Some(AttachmentKind::Pdf)
        );
        assert_eq!(
            AttachmentKind::of(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(AttachmentKind::Jpeg)
        );
        assert_eq!(
            AttachmentKind::of(b"\x89PNG\r\n\x1a\n...."),
            Some(AttachmentKind::Png)
        );
        assert_eq!(AttachmentKind::of(b"PK\x03\x04 a docx"), None);
        assert_eq!(AttachmentKind::of(b""), None);
    }
}
