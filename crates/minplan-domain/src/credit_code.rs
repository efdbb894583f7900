//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters from the set `0-9 A-H J-N P-R T U W-Y` (31 symbols; no I, O, S, V, Z):
//! 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6), 主体标识码 (9, the
//! 组织机构代码 of GB 11714), 校验码 (1). The check character is
//! `C18 = 31 − (Σ Ci·Wi mod 31)` (31 → 0) with weights `Wi = 3^(i−1) mod 31`
//! (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28), GB 32100-2015 §4.2 and 附录B.

use serde::{Serialize, Serializer};
use std::fmt;

const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid 统一社会信用代码. Construct with [`CreditCode::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// Why a string is not a valid credit code (Chinese message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// Not 18 characters.
    #[error("统一社会信用代码应为 18 位，实际为 {0} 位")]
    Length(usize),
    /// A character outside the GB 32100 set.
    #[error("统一社会信用代码第 {position} 位“{ch}”不是允许的字符（不用 I、O、S、V、Z）")]
    BadChar {
        /// 1-based position.
        position: usize,
        /// The character.
        ch: char,
    },
    /// The check character does not match.
    #[error("统一社会信用代码校验位错误：第 18 位应为“{expected}”，实际为“{actual}”")]
    CheckDigit {
        /// What GB 32100-2015 gives.
        expected: char,
        /// What was written.
        actual: char,
    },
}

impl CreditCode {
    /// Parses and checks a credit code. Lower case letters and surrounding spaces are
    /// accepted and normalised.
    ///
    /// # Errors
    /// [`CreditCodeError`] naming the wrong position or the expected check character.
    pub fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        let t: Vec<char> = s.trim().chars().map(|c| c.to_ascii_uppercase()).collect();
        if t.len() != 18 {
            return Err(CreditCodeError::Length(t.len()));
        }
        let mut sum = 0;
        for (i, &c) in t.iter().enumerate() {
            let Some(v) = CHARSET.find(c) else {
                return Err(CreditCodeError::BadChar {
                    position: i + 1,
                    ch: c,
                });
            };
            if i < 17 {
                sum += v as u32 * WEIGHTS[i];
            }
        }
        let check = (31 - sum % 31) % 31;
        let expected = CHARSET.as_bytes()[check as usize] as char;
        if t[17] != expected {
            return Err(CreditCodeError::CheckDigit {
                expected,
                actual: t[17],
            });
        }
        Ok(CreditCode(t.into_iter().collect()))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The check character a 17-character prefix needs (for building test data).
    pub fn check_char(prefix17: &str) -> Option<char> {
        let t: Vec<char> = prefix17.chars().collect();
        if t.len() != 17 {
            return None;
        }
        let mut sum = 0;
        for (i, &c) in t.iter().enumerate() {
            sum += CHARSET.find(c)? as u32 * WEIGHTS[i];
        }
        Some(CHARSET.as_bytes()[((31 - sum % 31) % 31) as usize] as char)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
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

    #[test]
    fn published_codes_check() {
        // Codes printed in public registrations (国家企业信用信息公示系统):
        // 中国石油天然气股份有限公司 91110000710925462X; 腾讯科技（深圳）有限公司 9144030071526726XG.
        for code in ["91110000710925462X", "9144030071526726XG"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(
            CreditCode::parse("911100007109254621"),
            Err(CreditCodeError::CheckDigit {
                expected: 'X',
                actual: '1'
            })
        );
        assert_eq!(
            CreditCode::parse("91110000I10925462X"),
            Err(CreditCodeError::BadChar {
                position: 9,
                ch: 'I'
            })
        );
        assert_eq!(CreditCode::parse("9111"), Err(CreditCodeError::Length(4)));
        assert_eq!(
            CreditCode::parse(" 91110000710925462x ").unwrap().as_str(),
            "91110000710925462X"
        );
    }
}
