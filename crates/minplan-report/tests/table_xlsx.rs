//! The generic list writer read back with calamine: headers, text, numbers as numbers, dates
//! as Excel dates, empty cells, the 说明 sheet; the template's header and example rows.

use calamine::{Data, Reader, Xlsx};
use minplan_domain::date::Date;
use minplan_report::{Cell, Column, Table, Template, TemplateColumn, table_xlsx, template_xlsx};
use std::io::Cursor;

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

#[test]
fn a_table_reads_back_with_typed_cells() {
    let d = Date::new(2026, 12, 6).unwrap();
    let t = Table {
        sheet: "矿业权".into(),
        columns: vec![
            Column::new("许可证号", 22.0),
            Column::new("生产规模", 10.0),
            Column::new("有效期止", 14.0),
            Column::new("审查时间", 18.0),
        ],
        rows: vec![
            vec![
                Cell::text("C2310812019010001"),
                Cell::Number(5.5),
                Cell::Date(d),
                Cell::DateTime(d, 14, 5),
            ],
            vec![
                Cell::text("C2"),
                Cell::number(None),
                Cell::date_text(Some("2027-01-31")),
                Cell::Empty,
            ],
        ],
        about: vec![("筛选条件".into(), "矿种：建筑用石".into())],
    };
    let mut x = open(table_xlsx(&t).unwrap());
    assert_eq!(x.sheet_names(), ["矿业权", "说明"]);
    let r = x.worksheet_range("矿业权").unwrap();
    assert_eq!(r.height(), 3);
    assert_eq!(r.get((0, 0)), Some(&Data::String("许可证号".into())));
    assert_eq!(
        r.get((1, 0)),
        Some(&Data::String("C2310812019010001".into()))
    );
    assert_eq!(r.get((1, 1)), Some(&Data::Float(5.5)));
    let Some(Data::DateTime(dt)) = r.get((1, 2)) else {
        panic!("date cell: {:?}", r.get((1, 2)));
    };
    // Excel's serial day of 2026-12-06.
    assert_eq!(dt.as_f64(), 46362.0);
    let Some(Data::DateTime(dt)) = r.get((1, 3)) else {
        panic!("datetime cell: {:?}", r.get((1, 3)));
    };
    assert!((dt.as_f64() - (46362.0 + (14.0 * 60.0 + 5.0) / 1440.0)).abs() < 1e-6);
    assert!(matches!(r.get((2, 1)), None | Some(Data::Empty)));
    let Some(Data::DateTime(dt)) = r.get((2, 2)) else {
        panic!("date from text: {:?}", r.get((2, 2)));
    };
    assert_eq!(dt.as_f64(), 46418.0);
    let about = x.worksheet_range("说明").unwrap();
    assert_eq!(
        about.get((1, 1)),
        Some(&Data::String("矿种：建筑用石".into()))
    );
    // A row wider than the columns is refused, not cut.
    let mut bad = t.clone();
    bad.rows[0].push(Cell::text("x"));
    assert!(table_xlsx(&bad).is_err());
}

#[test]
fn a_template_has_its_header_an_example_and_the_explanations() {
    let t = Template {
        sheet: "矿业权".into(),
        columns: vec![
            TemplateColumn {
                header: "许可证号".into(),
                required: true,
                explanation: "采矿许可证号".into(),
                example: "C2310812019010001".into(),
            },
            TemplateColumn {
                header: "有效期起".into(),
                required: false,
                explanation: "YYYY-MM-DD".into(),
                example: "2019-01-01".into(),
            },
        ],
        notes: vec!["第一行为列名".into()],
    };
    let mut x = open(template_xlsx(&t).unwrap());
    assert_eq!(x.sheet_names(), ["矿业权", "填写说明"]);
    let r = x.worksheet_range("矿业权").unwrap();
    assert_eq!(r.get((0, 1)), Some(&Data::String("有效期起".into())));
    // The example's date stays the text the importer reads.
    assert_eq!(r.get((1, 1)), Some(&Data::String("2019-01-01".into())));
    let help = x.worksheet_range("填写说明").unwrap();
    let text: Vec<String> = help.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.contains(&"必填".to_string()) && text.contains(&"采矿许可证号".to_string()));
    assert!(text.iter().any(|t| t.contains("第 2 行为示例")));
}
