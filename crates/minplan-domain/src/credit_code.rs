//! 统一社会信用代码 (unified social credit code) of a legal person or organisation, such as a
//! 矿业权人: GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》.
//!
//! 18 characters from the alphabet `0-9 A-H J-N P-R T U W-Y` (no I, O, S, V, Z):
//! 1 registration authority, 2 organisation type, 3–8 administrative division code (digits),
//! 9–17 organisation code (GB 11714), 18 check character. The check character is
//! `31 − (Σ value(cᵢ) × wᵢ mod 31)` (31 written as `0`) with weights
//! `wᵢ = 3^(i−1) mod 31`, i = 1…17 (GB 32100-2015 §4.2, 附录B).

use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid 统一社会信用代码. Holding one means it passed [`CreditCode::parse`].
///
/// # Examples
/// ```
/// use minplan_domain::CreditCode;
/// let c = CreditCode::parse(" 91350100m000100y43 ").unwrap();
/// assert_eq!(c.as_str(), "91350100M000100Y43");
/// assert!(CreditCode::parse("91350100M000100Y44").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a string is not a 统一社会信用代码 (Chinese message naming the position).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Not 18 characters.
    #[error("统一社会信用代码应为 18 位，输入的是 {0} 位")]
    Length(usize),
    /// A character outside the GB 32100 alphabet.
    #[error("统一社会信用代码第 {position} 位“{ch}”不是有效字符（不使用 I、O、S、V、Z）")]
    BadChar {
        /// 1-based position.
        position: usize,
        /// The character.
        ch: char,
    },
    /// A non-digit in the administrative division code (positions 3–8).
    #[error("统一社会信用代码第 3～8 位是行政区划代码，应为数字，第 {0} 位不是")]
    Division(usize),
    /// The check character does not match.
    #[error(
        "统一社会信用代码校验位错误：按前 17 位计算第 18 位应为“{expected}”，输入的是“{actual}”"
    )]
    CheckDigit {
        /// What GB 32100-2015 gives.
        expected: char,
        /// What was written.
        actual: char,
    },
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

fn check_of(first17: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (&c, w) in first17.iter().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(ALPHABET[((31 - sum % 31) % 31) as usize] as char)
}

impl CreditCode {
    /// Parses a code: surrounding blanks are ignored, lowercase letters are accepted and
    /// upper-cased, full-width digits and letters are narrowed.
    ///
    /// # Errors
    /// [`CreditCodeError`] for a wrong length, a character outside the alphabet, a
    /// non-digit in positions 3–8, or a wrong check character (naming the right one).
    pub fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        let norm: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .collect::<String>()
            .to_ascii_uppercase();
        let n = norm.chars().count();
        if n != 18 {
            return Err(CreditCodeError::Length(n));
        }
        if let Some((i, ch)) = norm
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii() || value(*c as u8).is_none())
        {
            return Err(CreditCodeError::BadChar {
                position: i + 1,
                ch,
            });
        }
        let bytes = norm.as_bytes();
        if let Some(i) = (2..8).find(|&i| !bytes[i].is_ascii_digit()) {
            return Err(CreditCodeError::Division(i + 1));
        }
        let expected = check_of(&bytes[..17]).expect("alphabet checked");
        if bytes[17] as char != expected {
            return Err(CreditCodeError::CheckDigit {
                expected,
                actual: bytes[17] as char,
            });
        }
        Ok(CreditCode(norm))
    }

    /// The code, 18 uppercase characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The check character a 17-character prefix needs (for building test data).
    pub fn check_char(prefix17: &str) -> Option<char> {
        (prefix17.len() == 17).then_some(())?;
        check_of(prefix17.as_bytes())
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}

impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    /// Codes from outside this code: the standard's example and companies' published
    /// business-licence codes (国家企业信用信息公示系统).
    #[test]
    fn published_codes_pass() {
        for c in [
            "91350100M000100Y43", // GB 32100-2015 example
            "9144030071526726XG", // 深圳市腾讯计算机系统有限公司
            "91330100716105852F", // 阿里巴巴（中国）有限公司
            "91110000710925462X", // 中国石油天然气股份有限公司
        ] {
            CreditCode::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
        assert_eq!(CreditCode::check_char("91350100M000100Y4"), Some('3'));
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            CreditCode::parse("9135010"),
            Err(CreditCodeError::Length(7))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100I43"),
            Err(CreditCodeError::BadChar {
                position: 16,
                ch: 'I'
            })
        );
        assert_eq!(
            CreditCode::parse("9135A100M000100Y43"),
            Err(CreditCodeError::Division(5))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckDigit {
                expected: '3',
                actual: '4'
            })
        );
        let e = CreditCode::parse("91350100M000100Y44")
            .unwrap_err()
            .to_string();
        assert!(e.contains("校验位") && e.contains("“3”"), "{e}");
    }

    #[test]
    fn normalises_case_and_width() {
        assert_eq!(
            CreditCode::parse("９１350100m000100y43").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }
}
