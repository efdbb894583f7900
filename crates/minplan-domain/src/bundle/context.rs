//! The loading context: the bundle's files, the problems found so far, the plan text for
//! checking citations, and the readers every section shares (citations, units, values,
//! enumerated values, layer files, figures).

use super::raw::{CitedInt, RawFigure, S};
use super::{BundleError, BundleErrorKind, BundleFiles, PLAN_FILE};
use crate::citation::{Citation, PlanText, format_number};
use crate::layer::line_of;
use crate::plan::{Cited, Figure, SourceDocument};
use crate::units::Unit;

/// The state of one bundle's loading.
pub(super) struct Ctx<'a> {
    /// `plan.toml`'s text (for line numbers).
    pub(super) src: &'a str,
    /// Every file of the bundle.
    pub(super) files: &'a BundleFiles,
    /// The errors found so far.
    pub(super) errors: Vec<BundleError>,
    /// The warnings found so far.
    pub(super) warnings: Vec<BundleError>,
    /// The plan text, once read (citations are checked against it).
    pub(super) text: Option<PlanText>,
    /// The source documents read so far (`[[sources]]`), with their texts.
    pub(super) sources: Vec<SourceDocument>,
}

/// What a citation should be found next to in the plan text.
pub(super) enum Expect<'s> {
    Nothing,
    Number(f64),
    Text(&'s str),
}

impl Ctx<'_> {
    /// An error of `field` at byte `span` of `plan.toml`.
    pub(super) fn err_at(
        &mut self,
        kind: BundleErrorKind,
        span: std::ops::Range<usize>,
        field: &str,
        msg: impl Into<String>,
    ) {
        self.errors.push(BundleError {
            kind,
            file: PLAN_FILE.into(),
            line: Some(line_of(self.src, span.start)),
            field: field.to_string(),
            message: msg.into(),
        });
    }

    /// A warning (loading goes on) of `field` at byte `span` of `plan.toml`.
    pub(super) fn warn_at(
        &mut self,
        kind: BundleErrorKind,
        span: std::ops::Range<usize>,
        field: &str,
        msg: impl Into<String>,
    ) {
        self.warnings.push(BundleError {
            kind,
            file: PLAN_FILE.into(),
            line: Some(line_of(self.src, span.start)),
            field: field.to_string(),
            message: msg.into(),
        });
    }

    /// A required citation; `table` locates the error when the field is missing.
    pub(super) fn cite(
        &mut self,
        cite: &Option<S<String>>,
        table: std::ops::Range<usize>,
        field: &str,
        expect: Expect<'_>,
    ) -> Option<Citation> {
        let Some(c) = cite else {
            self.err_at(
                BundleErrorKind::MissingCitation,
                table,
                field,
                "缺少出处（cite），每个数字都应注明其在规划文本中的章节",
            );
            return None;
        };
        let parsed = match Citation::parse(c.get_ref()) {
            Ok(p) => p,
            Err(e) => {
                self.err_at(BundleErrorKind::BadCitation, c.span(), field, e.to_string());
                return None;
            }
        };
        if let Some(key) = parsed.source()
            && !self.sources.iter().any(|s| s.key == key)
        {
            let known: Vec<&str> = self.sources.iter().map(|s| s.key.as_str()).collect();
            let known = if known.is_empty() {
                "数据包未登记任何来源文件".to_string()
            } else {
                format!("已登记：{}", known.join("、"))
            };
            self.err_at(
                BundleErrorKind::BadCitation,
                c.span(),
                field,
                format!("出处“{parsed}”引用的来源文件“{key}”未在 [[sources]] 中登记（{known}）"),
            );
            return None;
        }
        let doc = self.text_name(&parsed);
        let Some(text) = self.text_of(&parsed) else {
            // No text to check against: the citation is kept, marked 未核对.
            return Some(parsed.with_checked(false));
        };
        let parsed = parsed.with_checked(true);
        let found = match expect {
            Expect::Nothing => text.section(&parsed).map(|_| true),
            Expect::Number(v) => text.section_contains_number(&parsed, v),
            Expect::Text(t) => text.section_contains(&parsed, t),
        };
        match found {
            None => self.err_at(
                BundleErrorKind::CitationNotInText,
                c.span(),
                field,
                format!("出处“{parsed}”在{doc}中找不到对应章节"),
            ),
            Some(false) => {
                let what = match expect {
                    Expect::Number(v) => format_number(v),
                    Expect::Text(t) => t.to_string(),
                    Expect::Nothing => String::new(),
                };
                self.warn_at(
                    BundleErrorKind::FigureNotInSection,
                    c.span(),
                    field,
                    format!(
                        "在{doc}“{}”中未找到“{what}”，请核对（该出处在页面和审查意见中标为“未核对”）",
                        parsed.place()
                    ),
                );
                // The figure is not where the citation says: never shown as verified.
                return Some(parsed.with_checked(false));
            }
            Some(true) => {}
        }
        Some(parsed)
    }

    /// The text a citation points into, if the bundle has it (the plan text or a source's).
    pub(super) fn text_of(&self, c: &Citation) -> Option<&PlanText> {
        match c.source() {
            None => self.text.as_ref(),
            Some(k) => self.sources.iter().find(|s| s.key == k)?.text.as_ref(),
        }
    }

    /// How messages name the text a citation points into: 规划文本, or 《title》.
    pub(super) fn text_name(&self, c: &Citation) -> String {
        match c.source() {
            None => "规划文本".into(),
            Some(k) => match self.sources.iter().find(|s| s.key == k) {
                Some(s) => format!("《{}》", s.title),
                None => format!("“{k}”"),
            },
        }
    }

    /// A required unit (`unit`), known to [`Unit::parse`].
    pub(super) fn unit(
        &mut self,
        unit: &Option<S<String>>,
        table: std::ops::Range<usize>,
        field: &str,
    ) -> Option<Unit> {
        let Some(u) = unit else {
            self.err_at(
                BundleErrorKind::UnknownUnit,
                table,
                field,
                "缺少计量单位（unit）",
            );
            return None;
        };
        match Unit::parse(u.get_ref()) {
            Ok(u) => Some(u),
            Err(e) => {
                self.err_at(BundleErrorKind::UnknownUnit, u.span(), field, e.to_string());
                None
            }
        }
    }

    /// A required finite number; `kind` and `what` name it when it is missing.
    pub(super) fn value(
        &mut self,
        v: &Option<S<f64>>,
        table: std::ops::Range<usize>,
        field: &str,
        kind: BundleErrorKind,
        what: &str,
    ) -> Option<f64> {
        match v {
            Some(v) if v.get_ref().is_finite() => Some(*v.get_ref()),
            Some(v) => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    v.span(),
                    field,
                    "数值必须是有限数",
                );
                None
            }
            None => {
                self.err_at(kind, table, field, format!("缺少{what}"));
                None
            }
        }
    }

    /// One of the enumerated values `allowed` (as listed in the message), read by `parse`.
    pub(super) fn enum_value<T>(
        &mut self,
        s: &S<String>,
        field: &str,
        allowed: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let r = parse(s.get_ref());
        if r.is_none() {
            self.err_at(
                BundleErrorKind::BadValue,
                s.span(),
                field,
                format!("“{}”不是允许的取值（{allowed}）", s.get_ref()),
            );
        }
        r
    }

    /// A UTF-8 text file of the bundle named at `path`.
    pub(super) fn read_text_file(&mut self, path: &S<String>, field: &str) -> Option<&str> {
        let files = self.files;
        match files.get(path.get_ref()) {
            None => {
                self.err_at(
                    BundleErrorKind::MissingFile,
                    path.span(),
                    field,
                    format!("数据包中没有文件“{}”", path.get_ref()),
                );
                None
            }
            Some(b) => match std::str::from_utf8(b) {
                Ok(s) => Some(s),
                Err(_) => {
                    self.err_at(
                        BundleErrorKind::Syntax,
                        path.span(),
                        field,
                        format!("文件“{}”不是 UTF-8 编码", path.get_ref()),
                    );
                    None
                }
            },
        }
    }

    /// A cited figure (value, unit, citation; items checked against the cited section).
    pub(super) fn figure(
        &mut self,
        f: &S<RawFigure>,
        field: &str,
        default_group: &str,
    ) -> Option<Figure> {
        let span = f.span();
        let r = f.get_ref();
        let field = format!("{field}（{}）", r.label.get_ref());
        let value = self.value(
            &r.value,
            span.clone(),
            &field,
            BundleErrorKind::MissingValue,
            "数值（value）",
        );
        let unit = self.unit(&r.unit, span.clone(), &field);
        let cite = self.cite(
            &r.cite,
            span,
            &field,
            value.map_or(Expect::Nothing, Expect::Number),
        );
        for item in &r.items {
            if let Some(c) = &cite
                && let Some(text) = self.text_of(c)
                && text.section_contains(c, item.get_ref()) == Some(false)
            {
                let (sp, msg) = (
                    item.span(),
                    format!(
                        "在{}“{}”中未找到“{}”，请核对",
                        self.text_name(c),
                        c.place(),
                        item.get_ref()
                    ),
                );
                self.warn_at(BundleErrorKind::FigureNotInSection, sp, &field, msg);
            }
        }
        Some(Figure {
            key: r.key.get_ref().clone(),
            label: r.label.get_ref().clone(),
            group: r
                .group
                .as_ref()
                .map(|g| g.get_ref().clone())
                .unwrap_or_else(|| default_group.to_string()),
            value: value?,
            unit: unit?,
            cite: cite?,
            items: r.items.iter().map(|i| i.get_ref().clone()).collect(),
            note: r.note.as_ref().map(|n| n.get_ref().clone()),
        })
    }

    /// A cited non-negative integer (a count).
    pub(super) fn cited_u32(&mut self, c: &S<CitedInt>, field: &str) -> Option<Cited<u32>> {
        let r = c.get_ref();
        let v = *r.value.get_ref();
        let cite = self.cite(&r.cite, c.span(), field, Expect::Number(v as f64));
        if !(0..=u32::MAX as i64).contains(&v) {
            self.err_at(
                BundleErrorKind::BadValue,
                r.value.span(),
                field,
                "应为非负整数",
            );
            return None;
        }
        Some(Cited {
            value: v as u32,
            cite: cite?,
        })
    }
}
