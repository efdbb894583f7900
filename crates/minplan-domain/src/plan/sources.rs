//! The source documents of a plan (`[[sources]]`): besides the plan text, an amendment
//! notice, the higher-level plan, the official interpretation… Citations may name one
//! (`key:place`); this module says which text a citation is checked against and how a
//! citation is written for people (one function for every page, document and table).

use super::Plan;
use crate::citation::{Citation, PlanText, document_label};
use crate::labels::zh_labels;
use serde::Serialize;

/// What a source document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// 规划文本 (the plan text, or another version of it).
    PlanText,
    /// 修改通知 (an amendment notice).
    Amendment,
    /// 上级规划 (a higher-level plan).
    HigherPlan,
    /// 解读 (an official interpretation, often questions and answers).
    Interpretation,
    /// 其他.
    Other,
}

zh_labels! {
    SourceKind, label {
        PlanText => "规划文本",
        Amendment => "修改通知",
        HigherPlan => "上级规划",
        Interpretation => "解读",
        Other => "其他",
    }
}

/// A source document of the bundle (`[[sources]]`).
#[derive(Debug, Clone, Serialize)]
pub struct SourceDocument {
    /// Short key citations name it by (`修改通知2024:3`).
    pub key: String,
    /// Title, without 《》.
    pub title: String,
    /// Issuing body.
    pub issuer: String,
    /// Document number (文号), if any.
    pub number: Option<String>,
    /// Date (YYYY-MM-DD), if known.
    pub date: Option<String>,
    /// What it is.
    pub kind: SourceKind,
    /// The text file in the bundle, if any.
    pub file: Option<String>,
    /// Whether the bundle carries its text (citations into it are checked).
    pub has_text: bool,
    /// Its text, when the bundle carries it.
    #[serde(skip)]
    pub text: Option<PlanText>,
}

impl Plan {
    /// The source document with this key (not the main plan text).
    pub fn source(&self, key: &str) -> Option<&SourceDocument> {
        self.sources.iter().find(|s| s.key == key)
    }

    /// The text a citation points into, if the bundle carries it: the plan text, or the
    /// named source's.
    pub fn text_of(&self, c: &Citation) -> Option<&PlanText> {
        match c.source() {
            None => self.text.as_ref(),
            Some(k) => self.source(k)?.text.as_ref(),
        }
    }

    /// Whether a citation is verified: not marked 未核对, and its text is in the bundle and
    /// has the cited place.
    pub fn cite_checked(&self, c: &Citation) -> bool {
        c.checked() && self.text_of(c).is_some_and(|t| t.heading(c).is_some())
    }

    /// The title a citation's document is shown by: `None` for the main plan text (《规划》),
    /// the source's title (its key when the plan does not know it).
    pub fn cite_title<'a>(&'a self, c: &'a Citation) -> Option<&'a str> {
        let key = c.source()?;
        Some(self.source(key).map_or(key, |s| s.title.as_str()))
    }

    /// A citation as people read it: `《规划》五（一）`, `《关于…的通知》3`, with
    /// `（未核对）` when it is not verified ([`Plan::cite_checked`]).
    pub fn cite_label(&self, c: &Citation) -> String {
        c.people_form(self.cite_title(c), self.cite_checked(c))
    }

    /// Several citations as people read them, each once, in the order given, the document
    /// named once for a run of citations into it: `《规划》四（三）1、四（三）2；《通知》3`.
    /// Empty when there are none.
    pub fn cites_label(&self, cites: &[Citation]) -> String {
        let mut seen: Vec<String> = Vec::new();
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for c in cites {
            let full = self.cite_label(c);
            if seen.contains(&full) {
                continue;
            }
            seen.push(full.clone());
            let title = document_label(self.cite_title(c));
            let place = c.place_marked(self.cite_checked(c));
            match groups.last_mut() {
                Some((t, places)) if *t == title => places.push(place),
                _ => groups.push((title, vec![place])),
            }
        }
        groups
            .into_iter()
            .map(|(t, p)| format!("{t}{}", p.join("、")))
            .collect::<Vec<_>>()
            .join("；")
    }
}
