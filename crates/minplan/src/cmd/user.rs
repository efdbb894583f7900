//! `minplan user …`: accounts (账号). There is no default account and no default password:
//! `minplan user add --role admin NAME` creates the first administrator and asks for a
//! password twice without echo. Scripts pass it with `--password-stdin` (one line on standard
//! input) or the environment variable `MINPLAN_PASSWORD`.
//!
//! Every change is recorded in the audit trail as done by `cli:<os user>`.
//!
//! Exit status: 0 done; 1 refused input (each problem printed with its field) or unknown
//! account; 2 other failures.

use anyhow::{Context, bail};
use clap::Subcommand;
use comfy_table::{Cell, Table, presets::UTF8_FULL_CONDENSED};
use minplan_store::accounts::MIN_PASSWORD_CHARS;
use minplan_store::{Actor, NewUser, Role, StoreError};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

/// 账号子命令
#[derive(Subcommand)]
pub enum UserCommand {
    /// 新建账号（提示输入两次密码，不回显）
    Add {
        /// 用户名（2～32 个字符：字母、数字、汉字、_ . -）
        name: String,
        /// 角色：系统管理员(admin)、规划科(planning)、审批科(approval)、执法监察(enforcement)、生态修复(restoration)、矿山企业(company)
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// 姓名或单位名称（缺省同用户名）
        #[arg(long)]
        display_name: Option<String>,
        /// 统一社会信用代码（矿山企业账号必填）
        #[arg(long)]
        credit_code: Option<String>,
        /// 从标准输入读取密码（一行），供脚本使用
        #[arg(long)]
        password_stdin: bool,
    },
    /// 列出账号
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 修改密码（提示输入两次新密码）
    Passwd {
        /// 用户名
        name: String,
        /// 从标准输入读取新密码（一行）
        #[arg(long)]
        password_stdin: bool,
    },
    /// 停用账号（不能再登录，已登录的会话立即失效）
    Disable {
        /// 用户名
        name: String,
    },
    /// 重新启用已停用的账号
    Enable {
        /// 用户名
        name: String,
    },
}

/// Parses a role by Chinese name or English slug.
fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("未知角色“{s}”，可用：{}", Role::accepted()))
}

/// The password: `--password-stdin`, else `MINPLAN_PASSWORD`, else asked twice on the terminal.
fn read_password(stdin: bool) -> anyhow::Result<String> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("无法从标准输入读取密码")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    if let Ok(p) = std::env::var("MINPLAN_PASSWORD") {
        return Ok(p);
    }
    let hint = "（在脚本中可用 --password-stdin 或环境变量 MINPLAN_PASSWORD 传入密码）";
    let first = rpassword::prompt_password(format!("密码（至少 {MIN_PASSWORD_CHARS} 个字符）："))
        .with_context(|| format!("无法读取密码{hint}"))?;
    let second = rpassword::prompt_password("再次输入密码：")
        .with_context(|| format!("无法读取密码{hint}"))?;
    if first != second {
        bail!("两次输入的密码不一致，未做任何修改");
    }
    Ok(first)
}

/// Prints a refused input and returns exit status 1; other errors go up.
fn refused(e: StoreError) -> anyhow::Result<ExitCode> {
    match e {
        StoreError::Invalid(problems) => {
            for p in problems {
                eprintln!("错误（{}）：{}", field_label(&p.field), p.message);
            }
            eprintln!("未做任何修改。");
            Ok(ExitCode::from(1))
        }
        StoreError::NotFound(m) => {
            eprintln!("错误：{m}");
            Ok(ExitCode::from(1))
        }
        e => Err(e.into()),
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "username" => "用户名",
        "display_name" => "姓名/单位名称",
        "role" => "角色",
        "credit_code" => "统一社会信用代码",
        "password" => "密码",
        other => other,
    }
}

/// Runs a `user` subcommand.
pub fn run(db: Option<PathBuf>, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    let actor = Actor::cli_current();
    // Read the password before opening the database, so a mistyped confirmation writes nothing.
    let password = match &cmd {
        UserCommand::Add { password_stdin, .. } | UserCommand::Passwd { password_stdin, .. } => {
            Some(read_password(*password_stdin)?)
        }
        _ => None,
    };
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let password = password.unwrap_or_default();
        match cmd {
            UserCommand::Add {
                name,
                role,
                display_name,
                credit_code,
                ..
            } => {
                let new = NewUser {
                    username: name,
                    display_name: display_name.unwrap_or_default(),
                    role,
                    credit_code,
                };
                match store.add_user(&new, &password, &actor).await {
                    Ok(u) => {
                        println!(
                            "已新建账号：{}（{}，角色：{}，编号 {}）",
                            u.username, u.display_name, u.role, u.id
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            UserCommand::List { json } => {
                let users = store.list_users().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&users)?);
                } else if users.is_empty() {
                    println!(
                        "还没有账号。用 minplan user add --role admin 用户名 新建第一个系统管理员。"
                    );
                } else {
                    let mut t = Table::new();
                    t.load_preset(UTF8_FULL_CONDENSED);
                    t.set_header(
                        [
                            "编号",
                            "用户名",
                            "姓名/单位",
                            "角色",
                            "统一社会信用代码",
                            "状态",
                            "创建时间（北京时间）",
                        ]
                        .iter()
                        .map(Cell::new),
                    );
                    for u in users {
                        t.add_row(vec![
                            u.id.to_string(),
                            u.username,
                            u.display_name,
                            u.role.label().to_string(),
                            u.credit_code.unwrap_or_default(),
                            if u.disabled { "已停用" } else { "正常" }.to_string(),
                            minplan_web::http::words::beijing(&u.created_at),
                        ]);
                    }
                    println!("{t}");
                }
                Ok(ExitCode::SUCCESS)
            }
            UserCommand::Passwd { name, .. } => {
                match store.set_password(&name, &password, &actor).await {
                    Ok(u) => {
                        println!(
                            "已修改账号 {} 的密码；该账号已登录的会话全部失效。",
                            u.username
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            UserCommand::Disable { name } => {
                match store.set_user_disabled(&name, true, &actor).await {
                    Ok(u) => {
                        println!("已停用账号 {}。", u.username);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            UserCommand::Enable { name } => {
                match store.set_user_disabled(&name, false, &actor).await {
                    Ok(u) => {
                        println!("已启用账号 {}。", u.username);
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
        }
    })
}
