//! Tables that would kill the process or exhaust the machine (issue: a 1.5 KB XLSX aborted the
//! server allocating 52 GB; a 996 KiB XLSX inflated to 1,000 MiB): each is built here and
//! must be refused with a message that names the limit, quickly and without the allocation.
//! Also the tables a bureau really hands in still read.

use minplan_domain::limits::{CELL_CHARS, TABLE_CELLS, TABLE_INFLATED_BYTES};
use minplan_io::table::read_table;
use std::io::{Cursor, Write as _};

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, c, t) in cells {
        ws.write_string(*r, *c, *t).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn a_real_register_table_reads_from_its_first_used_cell() {
    let b = xlsx(&[
        (2, 1, "许可证号"),
        (2, 2, "矿山名称"),
        (3, 1, "C2310002011"),
        (3, 3, "x"),
    ]);
    let rows = read_table(&b, "登记.xlsx").unwrap();
    assert_eq!(
        rows,
        vec![
            vec!["许可证号".to_owned(), "矿山名称".to_owned()],
            vec!["C2310002011".to_owned(), String::new(), "x".to_owned()],
        ]
    );
}

#[test]
fn cells_at_a1_and_xfd100000_are_refused_before_anything_is_laid_out() {
    // The attack: two cells, a 16,384 × 100,000 rectangle between them.
    let b = xlsx(&[(0, 0, "a"), (99_999, 16_383, "b")]);
    assert!(b.len() < 10_000, "{}", b.len());
    let e = read_table(&b, "炸弹.xlsx").unwrap_err().0;
    assert!(
        e.contains("炸弹.xlsx") && e.contains("已用区域超过上限"),
        "{e}"
    );
    // Within the column limit but beyond the cell count: A1 and IV100000.
    let b = xlsx(&[(0, 0, "a"), (99_999, 255, "b")]);
    let e = read_table(&b, "宽.xlsx").unwrap_err().0;
    assert!(e.contains(&TABLE_CELLS.to_string()), "{e}");
    // The corner-list reader goes through the same check.
    let e = minplan_io::xlsx::xlsx_corner_text("拐点.xlsx", &b)
        .unwrap_err()
        .0;
    assert!(e.contains("已用区域超过上限"), "{e}");
}

/// A minimal `.xlsx` package around one sheet's XML (what a writer that does not keep
/// Excel's own limits may produce).
fn raw_xlsx(sheet: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet}</sheetData></worksheet>"#
            ),
        ),
    ];
    for (name, text) in files {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_cell_longer_than_excel_allows_is_refused_by_its_address() {
    let long = "坐".repeat(CELL_CHARS + 1);
    let b = raw_xlsx(&format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>许可证号</t></is></c></row><row r="5"><c r="C5" t="inlineStr"><is><t>{long}</t></is></c></row>"#
    ));
    // The package itself reads when the cell is within the limit.
    let ok = raw_xlsx(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>许可证号</t></is></c></row>"#);
    assert_eq!(read_table(&ok, "短.xlsx").unwrap(), [["许可证号"]]);
    let e = read_table(&b, "长.xlsx").unwrap_err().0;
    assert!(e.contains("单元格 C5") && e.contains("32767"), "{e}");
}

/// A zip whose one entry, `xl/worksheets/sheet1.xml`, is `n` bytes of spaces.
fn deflated(n: usize) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(n as u64 > u32::MAX as u64);
    z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
    let chunk = vec![b' '; 1 << 20];
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        z.write_all(&chunk[..k]).unwrap();
        left -= k;
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_opened() {
    let n = (TABLE_INFLATED_BYTES + (1 << 20)) as usize;
    let b = deflated(n);
    assert!(b.len() < 1 << 20, "{}", b.len());
    let t = std::time::Instant::now();
    let e = read_table(&b, "炸弹.xlsx").unwrap_err().0;
    assert!(e.contains("超过上限 64 MiB"), "{e}");
    // Refused from the central directory: nothing was inflated.
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn a_zip_that_lies_about_its_size_is_refused() {
    // 8 MiB of spaces whose headers claim 1,000 bytes.
    let mut b = deflated(8 << 20);
    let patch = |b: &mut Vec<u8>, sig: &[u8], at: usize| {
        let i = b.windows(4).position(|w| w == sig).unwrap();
        b[i + at..i + at + 4].copy_from_slice(&1000u32.to_le_bytes());
    };
    patch(&mut b, b"PK\x03\x04", 22);
    patch(&mut b, b"PK\x01\x02", 24);
    let e = read_table(&b, "篡改.xlsx").unwrap_err().0;
    assert!(e.contains("超过其声明的大小"), "{e}");
}

/// A BIFF8 record.
fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

/// An `.xls` with one sheet: a DIMENSIONS record stating rows `rf..rl` and columns `cf..cl`
/// (one past the end), and a NUMBER cell at each of `cells`.
fn xls(dims: (u32, u32, u16, u16), cells: &[(u16, u16, f64)]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend(0x0600u16.to_le_bytes());
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        d
    };
    let mut globals = Vec::new();
    rec(&mut globals, 0x0809, &bof(0x0005));
    rec(&mut globals, 0x0042, &1200u16.to_le_bytes()); // CODEPAGE: UTF-16
    let name = b"Sheet1";
    let boundsheet_len = 4 + 8 + name.len();
    let pos = (globals.len() + boundsheet_len + 4) as u32;
    let mut bs = Vec::new();
    bs.extend(pos.to_le_bytes());
    bs.extend([0u8, 0u8, name.len() as u8, 0u8]);
    bs.extend(name);
    rec(&mut globals, 0x0085, &bs);
    rec(&mut globals, 0x000A, &[]);
    let mut sheet = Vec::new();
    rec(&mut sheet, 0x0809, &bof(0x0010));
    let mut d = Vec::new();
    d.extend(dims.0.to_le_bytes());
    d.extend(dims.1.to_le_bytes());
    d.extend(dims.2.to_le_bytes());
    d.extend(dims.3.to_le_bytes());
    d.extend([0u8; 2]);
    rec(&mut sheet, 0x0200, &d);
    for (r, c, v) in cells {
        let mut d = Vec::new();
        d.extend(r.to_le_bytes());
        d.extend(c.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(v.to_le_bytes());
        rec(&mut sheet, 0x0203, &d);
    }
    rec(&mut sheet, 0x000A, &[]);
    let mut stream = globals;
    stream.extend(sheet);
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("/Workbook")
        .unwrap()
        .write_all(&stream)
        .unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

#[test]
fn a_small_xls_reads() {
    let b = xls((0, 2, 0, 2), &[(0, 0, 1.5), (1, 1, 4_400_000.125)]);
    let rows = read_table(&b, "登记.xls").unwrap();
    assert_eq!(
        rows,
        vec![
            vec!["1.5".to_owned()],
            vec![String::new(), "4400000.125".to_owned()]
        ]
    );
}

#[test]
fn an_xls_whose_records_span_too_much_is_refused_before_it_is_opened() {
    // Stated: 4,294,967,295 rows (the library would reserve them all).
    let b = xls((0, u32::MAX, 0, 256), &[(0, 0, 1.0)]);
    let e = read_table(&b, "炸弹.xls").unwrap_err().0;
    assert!(
        e.contains("炸弹.xls") && e.contains("已用区域超过上限"),
        "{e}"
    );
    // Stated backwards (first row after the last): would wrap to 4 × 10⁹ rows.
    let b = xls((10, 2, 0, 1), &[(0, 0, 1.0)]);
    let e = read_table(&b, "倒置.xls").unwrap_err().0;
    assert!(e.contains("已用区域超过上限"), "{e}");
    // A modest DIMENSIONS but two cells far apart: A1 and column 65,535 of row 65,535.
    let b = xls((0, 1, 0, 1), &[(0, 0, 1.0), (65_535, 65_535, 2.0)]);
    let e = read_table(&b, "远.xls").unwrap_err().0;
    assert!(e.contains("已用区域超过上限"), "{e}");
    let e = minplan_io::xlsx::xlsx_corner_text("远.xls", &b)
        .unwrap_err()
        .0;
    assert!(e.contains("已用区域超过上限"), "{e}");
}

#[test]
fn a_csv_beyond_the_limits_is_refused_by_its_line() {
    let mut s = String::from("许可证号,名称\n");
    s.push_str(&format!("C1,{}\n", "x".repeat(CELL_CHARS + 1)));
    let e = read_table(s.as_bytes(), "表.csv").unwrap_err().0;
    assert!(e.contains("第 2 行第 2 列"), "{e}");
    let wide = vec!["a"; 300].join(",");
    let e = read_table(wide.as_bytes(), "宽.csv").unwrap_err().0;
    assert!(e.contains("第 1 行") && e.contains("256 列"), "{e}");
}

/// Found by `fuzz/` (target `table`, issue 19): a 5.5 KB `.xls` whose record offset points
/// 1.3 GB past its 4 KB sector made calamine 0.38 panic (`xls.rs:633`, slice index out of
/// range), which took `minplan right import` down. It is refused, naming the file.
#[test]
fn a_damaged_xls_that_panics_the_workbook_reader_is_refused_by_name() {
    let b = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/fuzz/xls-record-offset.xls"),
    )
    .unwrap();
    let e = read_table(&b, "损坏.xls").unwrap_err().0;
    assert!(e.starts_with("损坏.xls"), "{e}");
    assert!(e.contains("内部结构损坏"), "{e}");
    // The same through the corner-table reader of .xls files.
    assert!(minplan_io::corner_file_text("损坏.xls", &b).is_err());
}
