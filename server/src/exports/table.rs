//! A table to hand to a spreadsheet: as CSV (UTF-8 with a byte-order mark,
//! so spreadsheet programs read the Chinese) or as an XLSX workbook. Text
//! that a spreadsheet would run as a formula is defused.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell: text, or a number a spreadsheet can sum.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Self {
        Cell::Number(n as f64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Cell::Number(f64::from(n))
    }
}

/// A sheet: its name, its header row and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Text a spreadsheet would read as a formula (or as a command, via a tab
/// or a carriage return) starts with a quote instead.
pub fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A CSV field: defused and quoted.
pub fn csv_field(text: &str) -> String {
    format!("\"{}\"", defuse(text).replace('"', "\"\""))
}

impl Table {
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(
            &self
                .headers
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
        for row in &self.rows {
            let fields: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => csv_field(t),
                    Cell::Number(n) => n.to_string(),
                })
                .collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

/// The tables as one workbook, a sheet each. Text is written as text (a
/// string cell never runs) and defused all the same, so a copy pasted on
/// into another program stays inert.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name)?;
        for (c, h) in table.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), *h, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    Cell::Text(t) => sheet.write_string(r, col(c), defuse(t))?,
                    Cell::Number(n) => sheet.write_number(r, col(c), *n)?,
                };
            }
        }
    }
    workbook.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_commands_are_defused_and_quotes_doubled() {
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
        for f in ["=HYPERLINK(1)", "+1", "-1+1", "@SUM(A1)", "\tcmd", "\rcmd"] {
            assert!(csv_field(f).starts_with("\"'"), "{f}");
        }
        assert_eq!(csv_field("王"), "\"王\"");
    }

    #[test]
    fn a_table_reads_back_as_csv_and_makes_a_workbook() {
        let t = Table {
            name: "结果",
            headers: vec!["编号", "姓名", "票数"],
            rows: vec![vec![Cell::from(7u32), "=王".into(), Cell::from(12u64)]],
        };
        let csv = t.csv();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("7,\"'=王\",12\r\n"), "{csv}");
        let book = xlsx(&[t]).unwrap();
        assert_eq!(&book[..2], b"PK", "an XLSX file is a zip");
    }
}
