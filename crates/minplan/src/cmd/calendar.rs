//! `minplan calendar show|set`: the 工作日历 — a year's 法定节假日 and 调休上班 days with the
//! working days of each month, and the bureau's entry of a year from a text file (the same
//! store function as the web page `/admin/calendar`).

use clap::Subcommand;
use minplan_domain::calendar::WorkCalendar;
use minplan_domain::date::Date;
use minplan_store::{Actor, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

/// 工作日历
#[derive(Subcommand)]
pub enum CalendarCommand {
    /// 查看一年的节假日安排（放假、调休上班）和各月工作日天数
    Show {
        /// 年份，如 2027
        year: i32,
    },
    /// 录入或更正一年的安排：文件每行一项，“放假 2027-02-05 至 2027-02-13”或“上班 2027-02-14”
    Set {
        /// 年份，如 2027
        year: i32,
        /// 安排文件（UTF-8 文本）
        file: PathBuf,
        /// 依据，如 国务院办公厅关于2027年部分节假日安排的通知
        #[arg(long)]
        source: String,
    },
}

/// The working days of each month of `year`, and the note when the year is not held.
fn month_counts(cal: &WorkCalendar, year: i32) -> (Vec<i64>, Option<String>) {
    let mut note = None;
    let counts = (1..=12u8)
        .map(|m| {
            let first = Date::new(year, m, 1).expect("month start");
            let next = if m == 12 {
                Date::new(year + 1, 1, 1)
            } else {
                Date::new(year, m + 1, 1)
            }
            .expect("next month start");
            let c = cal.working_days_between(first.add_days(-1), next.add_days(-1));
            if note.is_none() {
                note = c.note();
            }
            c.value
        })
        .collect();
    (counts, note)
}

/// Runs `minplan calendar …`.
pub fn run(db: Option<PathBuf>, cmd: CalendarCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            CalendarCommand::Show { year } => {
                let cal = store.work_calendar().await?;
                match cal.year(year) {
                    Some(y) => {
                        println!("{year}年节假日安排　依据：{}", y.source);
                        print!("{}", y.to_text());
                    }
                    None => println!("{year}年节假日安排未录入。"),
                }
                let (counts, note) = month_counts(&cal, year);
                let mut t = super::table(&["月份", "工作日（天）"]);
                for (i, n) in counts.iter().enumerate() {
                    t.add_row(vec![format!("{}月", i + 1), n.to_string()]);
                }
                t.add_row(vec![
                    "全年".to_string(),
                    counts.iter().sum::<i64>().to_string(),
                ]);
                println!("{t}");
                if let Some(n) = note {
                    println!("注：{n}。");
                }
                Ok(ExitCode::SUCCESS)
            }
            CalendarCommand::Set { year, file, source } => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("无法读取安排文件 {}：{e}", file.display()))?;
                let actor = Actor::cli_current();
                let label = actor.label();
                let entered_by = format!(
                    "命令行操作（{}）",
                    label.strip_prefix("cli:").unwrap_or(&label)
                );
                match store
                    .set_calendar_year(year, &text, &source, &entered_by, &actor)
                    .await
                {
                    Ok(y) => {
                        println!(
                            "已保存 {year} 年的节假日安排：放假 {} 天，调休上班 {} 天。",
                            y.holidays.len(),
                            y.working_weekends.len()
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(StoreError::Invalid(fields)) => {
                        for f in fields {
                            eprintln!("错误：{}：{}", file.display(), f.message);
                        }
                        eprintln!("未保存：请改正以上问题后重新录入。");
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    })
}
