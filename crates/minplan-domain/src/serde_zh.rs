//! Chinese wording for the messages of serde-based readers (TOML, JSON): the user sees
//! “缺少字段“format””, not “missing field `format`”. Only the fixed phrases of serde and the
//! `toml`/`serde_json` crates are translated; names and values stay as they were.

/// The message of a serde (TOML/JSON) error in Chinese.
///
/// ```
/// use minplan_domain::serde_zh::zh;
/// assert_eq!(zh("missing field `format`"), "缺少字段“format”");
/// assert_eq!(
///     zh("invalid type: map, expected a string"),
///     "类型不对：得到的是表（map），应为字符串"
/// );
/// ```
pub fn zh(msg: &str) -> String {
    // Quoted names first: `name` → “name” (open and close alternate).
    let mut quoted = String::with_capacity(msg.len());
    let mut open = true;
    for c in msg.trim().chars() {
        if c == '`' {
            quoted.push(if open { '“' } else { '”' });
            open = !open;
        } else {
            quoted.push(c);
        }
    }
    const PHRASES: &[(&str, &str)] = &[
        ("missing field “", "缺少字段“"),
        ("unknown field “", "未知字段“"),
        ("duplicate field “", "字段重复“"),
        ("unknown variant “", "未知取值“"),
        ("”, expected one of ", "”，应为以下之一："),
        ("”, expected ", "”，应为"),
        ("”, there are no fields", "”，此处不应有字段"),
        ("invalid type: ", "类型不对：得到的是"),
        ("invalid value: ", "取值无效："),
        ("invalid length ", "长度不对："),
        (", expected ", "，应为"),
        ("得到的是map", "得到的是表（map）"),
        ("得到的是sequence", "得到的是列表（sequence）"),
        ("得到的是string ", "得到的是字符串 "),
        ("得到的是integer", "得到的是整数"),
        ("得到的是floating point", "得到的是小数"),
        ("得到的是boolean", "得到的是布尔值"),
        ("应为a string", "应为字符串"),
        ("应为a sequence", "应为列表"),
        ("应为a boolean", "应为 true 或 false"),
        ("应为a number", "应为数字"),
        ("应为an integer", "应为整数"),
        ("应为a map", "应为表"),
        (
            "stream did not contain valid UTF-8",
            "不是 UTF-8 编码的文本",
        ),
        ("EOF while parsing a value", "内容不完整"),
        ("EOF while parsing", "内容不完整"),
        ("trailing characters", "末尾有多余的字符"),
        ("expected value", "此处应有一个值"),
        (" at line ", "（第 "),
        (" column ", " 行第 "),
    ];
    let mut out = quoted;
    for (en, cn) in PHRASES {
        out = out.replace(en, cn);
    }
    // “（第 3 行第 5” from serde_json's “at line 3 column 5”: close the bracket.
    if let Some(i) = out.rfind("（第 ")
        && !out[i..].contains('）')
    {
        out.push_str(" 列）");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::zh;

    #[test]
    fn json_and_toml_phrases() {
        assert_eq!(
            zh("missing field `approve` at line 1 column 20"),
            "缺少字段“approve”（第 1 行第 20 列）"
        );
        assert_eq!(
            zh("unknown field `foo`, expected one of `a`, `b`"),
            "未知字段“foo”，应为以下之一：“a”, “b”"
        );
        assert_eq!(
            zh("stream did not contain valid UTF-8"),
            "不是 UTF-8 编码的文本"
        );
    }
}
