//! Opens the 审查意见书 in LibreOffice and reads the PDF back. Needs `soffice` from
//! libreoffice-writer(-nogui) and `pdfinfo`, `pdftotext`, `pdfimages`, `pdftoppm` from
//! poppler-utils (a CJK font such as fonts-noto-cjk for the rendering), so it is `#[ignore]`d
//! and `cargo test --workspace` needs only Rust; `.ci/run` installs those packages and runs it:
//!
//! ```sh
//! cargo test -p minplan-report --test libreoffice -- --ignored
//! ```
//!
//! A missing tool is a failure, not a skip. The PDF text is checked for what a bureau signs:
//! its name, the 文号, the date as people write it, no product name and no machine time; a
//! 符合 opinion's first page is its summary.
//!
//! Leaves the samples in `$CARGO_TARGET_TMPDIR/review-docx/`: `conforming.docx` (符合),
//! `pending-check.docx` (基本符合), `red-line.docx` and `outside-block.docx` (不符合), their
//! PDFs, and the first page and the map page of each as PNG.

mod common;

use common::{failing, passing, pending_check, plan, shifted};
use minplan_report::{DocxOptions, review_docx};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} could not run: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

/// Text without white space (LibreOffice spaces digits from CJK, pdftotext breaks lines).
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `HH:MM:SS` after a `T` and a digit (an RFC 3339 time), anywhere in `s`.
fn iso_time(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(8)).any(|i| {
        b[i] == b'T'
            && b[i - 1].is_ascii_digit()
            && b[i + 1..i + 3].iter().all(u8::is_ascii_digit)
            && b[i + 3] == b':'
    })
}

#[test]
#[ignore = "needs LibreOffice and poppler-utils; .ci/run installs them and runs it with --ignored"]
fn the_docx_opens_in_libreoffice_with_its_tables_and_map() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("review-docx");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let opts = DocxOptions {
        document_number: Some("绥自然资审〔2026〕7号".into()),
        ..DocxOptions::default()
    };
    let cases = [
        ("conforming", passing()),
        ("pending-check", pending_check()),
        ("red-line", failing()),
        ("outside-block", shifted()),
    ];
    let mut docs = Vec::new();
    for (name, review) in cases {
        let p = dir.join(format!("{name}.docx"));
        std::fs::write(&p, review_docx(review, plan(), &opts).unwrap()).unwrap();
        docs.push(p);
    }
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    let mut args = vec![
        "--headless",
        "--norestore",
        profile.as_str(),
        "--convert-to",
        "pdf",
        "--outdir",
        dir.to_str().unwrap(),
    ];
    args.extend(docs.iter().map(|p| p.to_str().unwrap()));
    tool("soffice", &args);

    for ((name, review), docx) in cases.iter().zip(&docs) {
        let pdf = docx.with_extension("pdf");
        assert!(pdf.exists(), "{} not written", pdf.display());
        let pages = pdf_pages(&pdf);
        assert!((4..=20).contains(&pages), "{name}: {pages} pages");
        let text = squeeze(&tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]));
        for s in [
            "矿业权申请规划符合性审查意见书",
            "一、申请基本情况",
            "四、审查情况",
            "七、审查依据",
            &format!("审查结论：{}", review.conclusion.label()),
            &format!("第1页共{pages}页"),
        ] {
            assert!(text.contains(&squeeze(s)), "{name}: no {s} in the PDF text");
        }
        // As the bureau issues it: its name, the 文号, the Beijing date as people write it; no
        // product name, no machine time.
        let date = minplan_report::people_date(Some(&review.reviewed_at));
        for s in ["绥芬河市自然资源局", "绥自然资审〔2026〕7号", date.as_str()] {
            assert!(text.contains(&squeeze(s)), "{name}: no {s} in the PDF text");
        }
        assert!(
            !text.to_lowercase().contains("minplan"),
            "{name}: product name"
        );
        assert!(!iso_time(&text), "{name}: an ISO time in the PDF text");
        if review.conclusion == minplan_domain::review::Conclusion::Conforming {
            // The summary page comes first, on a page of its own.
            let first = squeeze(&tool(
                "pdftotext",
                &["-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
            ));
            assert!(first.contains("审查意见书（摘要）"), "{name}: {first}");
            assert!(
                !first.contains("一、申请基本情况"),
                "{name}: summary not alone"
            );
        }
        for p in review
            .application
            .corner_report
            .blocks
            .iter()
            .flat_map(|b| &b.rings)
            .flat_map(|r| &r.points)
        {
            assert!(
                text.contains(&p.x_text) && text.contains(&p.y_text),
                "{name}: {p:?}"
            );
        }
        for r in &review.rules {
            assert!(text.contains(r.id), "{name}: {}", r.id);
        }
        // The map is in the PDF at its size (1600 × 1200 pixels).
        let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
        let map_page: u32 = images
            .lines()
            .skip(2)
            .find_map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f.get(2) == Some(&"image")
                    && f.get(3) == Some(&"1600")
                    && f.get(4) == Some(&"1200"))
                .then(|| f[0].parse().unwrap())
            })
            .unwrap_or_else(|| panic!("{name}: no 1600×1200 image in {images}"));
        for page in [1, map_page] {
            let stem = dir.join(format!("{name}-page{page}"));
            let p = page.to_string();
            tool(
                "pdftoppm",
                &[
                    "-r",
                    "100",
                    "-png",
                    "-singlefile",
                    "-f",
                    &p,
                    "-l",
                    &p,
                    pdf.to_str().unwrap(),
                    stem.to_str().unwrap(),
                ],
            );
            assert!(stem.with_extension("png").exists());
        }
    }
    eprintln!("samples in {}", dir.display());
}

/// The figure as LibreOffice prints it: examples/03 (1 km² 地下热水 inside the 14 km² block
/// 231081-C01) → DOCX → PDF → PNG of the map page at 150 dpi; the mining block's outline
/// colour ([`minplan_report::BLOCK_LINE`]) and the exploration block's
/// ([`minplan_report::EXPLORATION_LINE`]) are on that page, so the block is in the figure.
#[test]
#[ignore = "needs LibreOffice and poppler-utils; .ci/run installs them and runs it with --ignored"]
fn the_geothermal_figure_shows_its_block_when_printed() {
    use minplan_report::{BLOCK_LINE, EXPLORATION_LINE};
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("review-docx-figure");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("geothermal.docx");
    std::fs::write(
        &docx,
        review_docx(common::geothermal(), plan(), &DocxOptions::default()).unwrap(),
    )
    .unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    tool(
        "soffice",
        &[
            "--headless",
            "--norestore",
            profile.as_str(),
            "--convert-to",
            "pdf",
            "--outdir",
            dir.to_str().unwrap(),
            docx.to_str().unwrap(),
        ],
    );
    let pdf = docx.with_extension("pdf");
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let page: String = images
        .lines()
        .skip(2)
        .find_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f.get(3) == Some(&"1600")).then(|| f[0].to_string())
        })
        .unwrap_or_else(|| panic!("no 1600-pixel figure in {images}"));
    let stem = dir.join("map-page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            "-f",
            &page,
            "-l",
            &page,
            pdf.to_str().unwrap(),
            stem.to_str().unwrap(),
        ],
    );
    // pdftoppm writes 8-bit RGB.
    let bytes = std::fs::read(stem.with_extension("png")).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let near = |c: [u8; 3]| {
        buf[..info.buffer_size()]
            .chunks(3)
            .filter(|p| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 10))
            .count()
    };
    let (mining, exploration) = (near(BLOCK_LINE), near(EXPLORATION_LINE));
    assert!(mining > 200, "mining block outline: {mining} pixels");
    assert!(
        exploration > 50,
        "exploration block outline: {exploration} pixels"
    );
    let text = squeeze(&tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]));
    assert!(
        text.contains(&squeeze("比例尺 1:60 000")),
        "stated scale in the text"
    );
    eprintln!(
        "{mining} / {exploration} pixels; sample in {}",
        dir.display()
    );
}
