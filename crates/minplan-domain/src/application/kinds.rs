//! The kinds an application states, each with its Chinese labels declared once
//! (`zh_labels!`): 申请类型, 变更事项, 矿业权类型, 开采方式, 出让方式 and the reasons for
//! 协议出让.

use crate::labels::zh_labels;

/// 申请类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationKind {
    /// 新立.
    New,
    /// 延续 (of a right's licence; the register's transition is
    /// [`RightExtension`](crate::register::RightExtension)).
    Extension,
    /// 变更 (with its [`ChangeKind`]).
    Change,
    /// 探转采 (an exploration right becomes a mining right).
    ExplorationToMining,
    /// 转让.
    Transfer,
}

zh_labels! {
    ApplicationKind, label {
        New => "新立",
        Extension => "延续",
        Change => "变更",
        ExplorationToMining => "探转采",
        Transfer => "转让",
    }
}

/// 变更事项.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// 扩大范围.
    Enlarge,
    /// 缩小范围.
    Reduce,
    /// 变更矿种.
    Mineral,
    /// 变更规模.
    Scale,
}

zh_labels! {
    ChangeKind, label {
        Enlarge => "扩大范围",
        Reduce => "缩小范围",
        Mineral => "变更矿种",
        Scale => "变更规模",
    }
}

/// 探矿权 / 采矿权.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RightKind {
    /// 探矿权.
    Exploration,
    /// 采矿权.
    Mining,
}

zh_labels! {
    RightKind, label {
        Exploration => "探矿权",
        Mining => "采矿权",
    }
}

/// 开采方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MiningMethod {
    /// 露天开采.
    OpenPit,
    /// 地下开采.
    Underground,
    /// 露天/地下联合 (also written 联合).
    Combined,
    /// 井采（地下水、地热水、矿泉水）.
    Well,
}

zh_labels! {
    MiningMethod, label {
        OpenPit => "露天" | "露天开采",
        Underground => "地下" | "地下开采",
        Combined => "露天+地下" | "联合",
        Well => "井采",
    }
}

impl MiningMethod {
    /// Whether any part is open-pit.
    pub fn is_open_pit(&self) -> bool {
        matches!(self, MiningMethod::OpenPit | MiningMethod::Combined)
    }
}

/// 出让方式 (招标、拍卖、挂牌、协议).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantMethod {
    /// 招标.
    Tender,
    /// 拍卖.
    Auction,
    /// 挂牌.
    Listing,
    /// 协议.
    Agreement,
}

zh_labels! {
    GrantMethod, label {
        Tender => "招标",
        Auction => "拍卖",
        Listing => "挂牌",
        Agreement => "协议",
    }
}

/// Listed reasons that allow 协议出让 (《矿业权出让制度改革方案》 and 自然资规〔2023〕6号 practice).
/// The short form an application writes is [`AgreementReason::code`]; the full wording is
/// [`AgreementReason::label`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementReason {
    /// 国务院批准的重点建设项目.
    KeyProject,
    /// 已设采矿权深部或上部的同类矿产（需要利用原有生产系统）.
    AdjacentDeposit,
    /// 探矿权人依法申请其勘查区块内的采矿权（探转采）.
    ExplorerConversion,
    /// 其他情形（须人工核查依据）.
    Other,
}

zh_labels! {
    AgreementReason, code {
        KeyProject => "重点建设项目",
        AdjacentDeposit => "深部或上部同类矿产",
        ExplorerConversion => "探转采",
        Other => "其他",
    }
}

impl AgreementReason {
    /// The full Chinese wording of the reason.
    pub fn label(&self) -> &'static str {
        match self {
            AgreementReason::KeyProject => "国务院批准的重点建设项目",
            AgreementReason::AdjacentDeposit => "已设采矿权深部或上部的同类矿产",
            AgreementReason::ExplorerConversion => "探矿权人申请其勘查区块内的采矿权",
            AgreementReason::Other => "其他情形",
        }
    }
}
