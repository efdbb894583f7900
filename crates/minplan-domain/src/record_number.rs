//! A record's identifier as records and links carry it: a 许可证号 (licence number) or a
//! 申请编号 (application number). A leaf module: the application file and the register both
//! check their numbers here.

use std::fmt;

/// The longest identifier taken, characters.
pub const MAX_CHARS: usize = 64;

/// A checked 许可证号 or 申请编号: 1–[`MAX_CHARS`] characters, letters, digits, `-`, `_`,
/// `.`, `（）`/`()` and CJK characters; no spaces, slashes, control or bidirectional
/// characters — so it can be a path segment of a link and is shown as written.
///
/// Parse, don't validate: a `RecordNumber` that exists is valid. The text is kept as given
/// (callers trim it first when the input may carry surrounding blanks).
///
/// ```
/// use minplan_domain::record_number::RecordNumber;
/// let n = RecordNumber::parse("许可证号", "C2310812024001").unwrap();
/// assert_eq!(n.as_str(), "C2310812024001");
/// assert_eq!(RecordNumber::parse("申请编号", "").unwrap_err(), "申请编号不能为空");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordNumber(String);

impl RecordNumber {
    /// Checks `s` as the identifier named `what` (e.g. “许可证号”, “申请编号”).
    ///
    /// # Errors
    /// The Chinese reason, naming `what`: empty (`…不能为空`), longer than [`MAX_CHARS`]
    /// (`…过长（n 个字符，最多 64 个）`), or a character outside the allowed set, given as
    /// `U+XXXX` with the text echoed without the refused characters (a bidi override would
    /// otherwise reorder the message itself).
    pub fn parse(what: &str, s: &str) -> Result<RecordNumber, String> {
        let n = s.chars().count();
        if n == 0 {
            return Err(format!("{what}不能为空"));
        }
        if n > MAX_CHARS {
            return Err(format!("{what}过长（{n} 个字符，最多 {MAX_CHARS} 个）"));
        }
        let allowed = |c: &char| {
            c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '（' | '）' | '(' | ')')
        };
        if let Some(c) = s.chars().find(|c| !allowed(c)) {
            return Err(format!(
                "{what}“{}”含不允许的字符 U+{:04X}：只可用字母、数字、汉字和 - _ . （）",
                s.chars().filter(allowed).collect::<String>(),
                c as u32
            ));
        }
        Ok(RecordNumber(s.to_string()))
    }

    /// The identifier.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The identifier as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for RecordNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RecordNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
