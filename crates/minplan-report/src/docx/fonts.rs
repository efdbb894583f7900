//! The fonts of each GB/T 9704-2012 text role (7.2–7.3), as every official document of this
//! crate sets them: the East Asian font a run names (`w:eastAsia`) and the Latin fonts beside
//! it. The fallbacks are declared in the font table (see `official`). A leaf module: the
//! elements and the official conventions both use it.

use docx_rs::{Run, RunFonts};

/// Latin font of body, table and title text.
pub(crate) const LATIN_SERIF: &str = "Times New Roman";
/// Latin font of headings.
pub(crate) const LATIN_SANS: &str = "Arial";

/// A GB/T 9704 text role and its fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// 标题: 方正小标宋简体.
    Title,
    /// 正文: 仿宋_GB2312.
    Body,
    /// 一级标题: 黑体.
    Heading1,
    /// 二级标题: 楷体_GB2312.
    Heading2,
    /// 表格: 宋体.
    Table,
}

impl Role {
    /// Every role, in the order of the font table.
    pub(crate) const ALL: [Role; 5] = [
        Role::Title,
        Role::Body,
        Role::Heading1,
        Role::Heading2,
        Role::Table,
    ];

    /// The East Asian font the run names.
    pub(crate) fn cjk(self) -> &'static str {
        match self {
            Role::Title => "方正小标宋简体",
            Role::Body => "仿宋_GB2312",
            Role::Heading1 => "黑体",
            Role::Heading2 => "楷体_GB2312",
            Role::Table => "宋体",
        }
    }

    /// The fallback names declared as `w:altName` (Chinese name, then English name).
    pub(crate) fn fallback(self) -> &'static str {
        match self {
            Role::Title => "宋体,SimSun",
            Role::Body => "仿宋,FangSong",
            Role::Heading1 => "SimHei",
            Role::Heading2 => "楷体,KaiTi",
            Role::Table => "SimSun",
        }
    }

    /// PANOSE number of the font (of its fallback where the GB 2312 font has none of its
    /// own), family and pitch, for the font table.
    pub(crate) fn font_class(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Role::Title | Role::Table => ("02010600030101010101", "auto", "variable"),
            Role::Body => ("02010609060101010101", "modern", "fixed"),
            Role::Heading1 => ("02010609060101010101", "modern", "fixed"),
            Role::Heading2 => ("02010609060101010101", "modern", "fixed"),
        }
    }

    /// The Latin font set beside the East Asian one.
    fn latin(self) -> &'static str {
        match self {
            Role::Heading1 => LATIN_SANS,
            _ => LATIN_SERIF,
        }
    }

    /// The run fonts of the role: East Asian slot, Latin slots, `eastAsia` hint.
    pub(crate) fn fonts(self) -> RunFonts {
        RunFonts::new()
            .ascii(self.latin())
            .hi_ansi(self.latin())
            .cs(self.latin())
            .east_asia(self.cjk())
            .hint("eastAsia")
    }

    /// A run of `text` in the role's fonts.
    pub(crate) fn run(self, text: impl Into<String>) -> Run {
        Run::new().add_text(text).fonts(self.fonts())
    }
}
