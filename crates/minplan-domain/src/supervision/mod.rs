//! 监督检查 (《规划》四（三）3（3）: 双随机、一公开, 信息公示, 异常名录 and 严重违法失信名单;
//! 《矿业权人勘查开采信息管理办法》自然资源部令第13号): the inspection libraries and the
//! verifiable draw (`library`, `draw`), check records and rectification (`checks`), and the
//! supervision lists' workflow (`listing`). Pure: values in, values out; callers pass `today`.

pub mod checks;
pub mod draw;
pub mod library;
pub mod listing;
