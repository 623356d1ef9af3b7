//! The command-line side of `gongdu mirror key|pack|verify|update|apply`: arguments, and the
//! reports printed for a learning centre's staff in Chinese (the site's language), or English
//! with `--lang en`, or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use super::{
    ApplyOptions, Base, PackOptions, PackageError, Precompress, Protection, SignatureState,
    VerifyReport,
};

/// Exit codes as the rest of the CLI uses them.
const EXIT_PROBLEM: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_IO: u8 = 3;

#[derive(Subcommand, Debug)]
pub enum PackageCommand {
    /// Make a signing key pair in minisign's format (DIR/gongdu.key, DIR/gongdu.pub).
    Key(KeyArgs),
    /// Write the built site as one signed, deterministic zip for learning centres.
    Pack(PackArgs),
    /// Check a mirror folder or package against its signed checksums.
    Verify(VerifyArgs),
    /// Make a small signed pack that turns mirror OLD into NEW.
    Update(UpdateArgs),
    /// Apply an update pack to a mirror folder, atomically (or roll the last one back).
    Apply(ApplyArgs),
}

#[derive(Args, Debug)]
pub struct KeyArgs {
    /// The folder for gongdu.key and gongdu.pub.
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    /// Store the secret key without a password (for automation; keep the file secret).
    #[arg(long)]
    unencrypted: bool,
}

#[derive(Args, Debug)]
pub struct PackArgs {
    /// The built site folder (normally public/).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    #[arg(long, value_name = "FILE.zip")]
    to: PathBuf,
    /// The secret key that signs SHA256SUMS.
    #[arg(long, value_name = "SECRET")]
    key: Option<PathBuf>,
    /// Add .gz and .br twins of text files for the LAN server.
    #[arg(long)]
    precompress: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Lang {
    Zh,
    En,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// A mirror folder or package zip (read in place).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// The public key (gongdu.pub) that must have signed it.
    #[arg(long, value_name = "PUB")]
    key: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[arg(long, value_enum, default_value = "zh")]
    lang: Lang,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// The version the centre has: a package or folder.
    #[arg(value_name = "OLD")]
    old: PathBuf,
    /// The new version: a package or folder.
    #[arg(value_name = "NEW")]
    new: PathBuf,
    #[arg(long, value_name = "PACK.zip")]
    to: PathBuf,
    #[arg(long, value_name = "SECRET")]
    key: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// The update pack (omit with --rollback).
    #[arg(value_name = "PACK", required_unless_present = "rollback")]
    pack: Option<PathBuf>,
    /// The mirror folder to update.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// The public key (gongdu.pub) that must have signed the pack.
    #[arg(long, value_name = "PUB")]
    key: Option<PathBuf>,
    /// Apply even where the folder is not exactly the pack's base.
    #[arg(long)]
    force: bool,
    /// Put back the version the last apply replaced: `apply --rollback DIR`.
    #[arg(long, conflicts_with_all = ["key", "force"])]
    rollback: bool,
}

pub(crate) fn run(command: PackageCommand) -> ExitCode {
    let result = match command {
        PackageCommand::Key(args) => run_key(args),
        PackageCommand::Pack(args) => run_pack(args),
        PackageCommand::Verify(args) => run_verify(args),
        PackageCommand::Update(args) => run_update(args),
        PackageCommand::Apply(args) => run_apply(args),
    };
    result.unwrap_or_else(|e| {
        match &e {
            PackageError::Io { path, source } => {
                eprintln!(
                    "错误：{}：{}",
                    path.display(),
                    crate::diagnostic::io_zh(source)
                );
            }
            _ => eprintln!("错误：{e}"),
        }
        ExitCode::from(match e {
            PackageError::Io { .. } | PackageError::Output(_) => EXIT_IO,
            _ => EXIT_PROBLEM,
        })
    })
}

fn run_key(args: KeyArgs) -> Result<ExitCode, PackageError> {
    let protection = if args.unencrypted {
        Protection::Unencrypted
    } else {
        Protection::Password
    };
    let (secret, public) = super::generate_keys(&args.to, protection)?;
    println!("私钥（保密，签名用）：{}", secret.display());
    println!("公钥（随镜像分发，核对用）：{}", public.display());
    Ok(ExitCode::SUCCESS)
}

fn run_pack(args: PackArgs) -> Result<ExitCode, PackageError> {
    let options = PackOptions {
        key: args.key,
        precompress: if args.precompress {
            Precompress::GzipAndBrotli
        } else {
            Precompress::No
        },
    };
    let report = super::pack(&args.dir, &args.to, &options)?;
    println!(
        "已写入 {}：《{}》版本 {}，{} 个文件，站点 {} 字节，压缩包 {} 字节{}",
        args.to.display(),
        report.title,
        report.version,
        report.files,
        report.site_bytes,
        report.zip_bytes,
        if report.signed {
            "，已签名"
        } else {
            "，未签名（没有 --key）"
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn run_verify(args: VerifyArgs) -> Result<ExitCode, PackageError> {
    let report = super::verify(&args.path, args.key.as_deref())?;
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "ok": report.ok(), "report": report })
            )
            .expect("plain data")
        ),
        Format::Text => print!("{}", verify_text(&report, args.lang)),
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEM)
    })
}

fn verify_text(report: &VerifyReport, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let title = report.title.as_deref().unwrap_or("?");
    let version = report.version.as_deref().unwrap_or("?");
    out.push_str(&if zh {
        format!(
            "镜像《{title}》版本 {version}，清单列出 {} 个文件\n",
            report.listed
        )
    } else {
        format!(
            "mirror \"{title}\" version {version}, {} files listed\n",
            report.listed
        )
    });
    out.push_str(&match (&report.signature, zh) {
        (SignatureState::Valid(c), true) => format!("签名：有效（{c}）\n"),
        (SignatureState::Valid(c), false) => format!("signature: valid ({c})\n"),
        (SignatureState::NotChecked, true) => "签名：未核对（加 --key gongdu.pub 核对）\n".into(),
        (SignatureState::NotChecked, false) => {
            "signature: not checked (pass --key gongdu.pub)\n".into()
        }
        (SignatureState::Missing, true) => "签名：缺失！这个镜像没有签名\n".into(),
        (SignatureState::Missing, false) => "signature: MISSING\n".into(),
        (SignatureState::Invalid(e), true) => {
            format!("签名：无效！镜像被改动过，或不是这把钥匙签的（{e}）\n")
        }
        (SignatureState::Invalid(e), false) => format!("signature: INVALID ({e})\n"),
    });
    let groups = [
        (&report.changed, "内容被改动", "changed"),
        (&report.missing, "缺少", "missing"),
        (&report.unexpected, "多出的文件", "unexpected"),
    ];
    for (paths, zh_label, en_label) in groups {
        for path in paths {
            out.push_str(&format!(
                "{}：{path}\n",
                if zh { zh_label } else { en_label }
            ));
        }
    }
    out.push_str(match (report.ok(), zh) {
        (true, true) => "结果：完好\n",
        (true, false) => "result: intact\n",
        (false, true) => "结果：有问题，请用完好的镜像包重新复制\n",
        (false, false) => "result: NOT intact\n",
    });
    out
}

fn run_update(args: UpdateArgs) -> Result<ExitCode, PackageError> {
    let report = super::update(&args.old, &args.new, &args.to, args.key.as_deref())?;
    println!(
        "已写入更新包 {}：{} → {}，{} 个文件新增或改动（{} 字节），{} 个删除，更新包 {} 字节{}",
        args.to.display(),
        report.from,
        report.to,
        report.changed,
        report.changed_bytes,
        report.deleted,
        report.pack_bytes,
        if report.signed {
            "，已签名"
        } else {
            "，未签名（apply 只接受签名的更新包）"
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn run_apply(args: ApplyArgs) -> Result<ExitCode, PackageError> {
    if args.rollback {
        // `apply --rollback DIR`: the one positional given is the folder.
        let Some(dir) = args.dir.or(args.pack) else {
            return Ok(usage(
                "apply --rollback 需要镜像文件夹：gongdu mirror apply --rollback DIR",
            ));
        };
        super::rollback(&dir)?;
        println!("已回退 {} 到上一版本（再回退一次可恢复）", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(pack), Some(dir)) = (args.pack, args.dir) else {
        return Ok(usage(
            "用法：gongdu mirror apply 更新包.zip 镜像文件夹 --key gongdu.pub",
        ));
    };
    let Some(key) = args.key else {
        return Ok(usage("需要公钥才能核对更新包：加 --key gongdu.pub"));
    };
    let options = ApplyOptions {
        key,
        base: if args.force {
            Base::Force
        } else {
            Base::MustMatch
        },
    };
    let report = super::apply(&pack, &dir, &options)?;
    println!(
        "已更新 {}：{} → {}，写入 {} 个文件，保留 {} 个，删除 {} 个（上一版本已保留，可用 --rollback 回退）",
        dir.display(),
        report.from,
        report.to,
        report.written,
        report.kept,
        report.deleted
    );
    Ok(ExitCode::SUCCESS)
}

fn usage(message: &str) -> ExitCode {
    eprintln!("错误：{message}");
    ExitCode::from(EXIT_USAGE)
}
