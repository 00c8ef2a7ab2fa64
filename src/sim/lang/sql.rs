//! The queries the simulated database knows, read from a query's text: the race's reads and
//! writes of the `course` row's `seats_left` (and `version`), and the forms that fix the race.
//! Any other text keeps the meaning it always had: a read, or a write of the value given.

use crate::sim::text;

/// What a query does to the `course` row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Sql {
    /// `SELECT seats_left ...` (a read) or `UPDATE course SET seats_left = $1` (a write of the
    /// value given), and any text the database does not know.
    #[default]
    Plain,
    /// `SELECT ... FOR UPDATE`: inside a transaction, the read takes the row's lock.
    ForUpdate,
    /// `UPDATE course SET seats_left = seats_left - 1 WHERE seats_left > 0`: one atomic step
    /// that changes the row only if a seat is left.
    Decrement,
    /// `UPDATE course SET seats_left = $1, version = version + 1 WHERE version = $2`: changes
    /// the row only if nobody wrote it since the version was read.
    SetIfVersion,
}

/// The text in one case and single spaces, without a final `;`.
fn normal(text: &str) -> String {
    let lower = text.trim().trim_end_matches(';').to_ascii_lowercase();
    crate::sim::text::join(&lower.split_whitespace().collect::<Vec<_>>(), " ")
}

/// What the query `text` does.
pub(crate) fn classify(text: &str) -> Sql {
    let q = normal(text);
    let q = text::replace(&q, "seats_left-1", "seats_left - 1");
    if q.starts_with("select") && q.ends_with(" for update") {
        Sql::ForUpdate
    } else if q == "update course set seats_left = seats_left - 1 where seats_left > 0" {
        Sql::Decrement
    } else if q == "update course set seats_left = $1, version = version + 1 where version = $2" {
        Sql::SetIfVersion
    } else {
        Sql::Plain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_are_read_whatever_the_case_and_spacing() {
        assert_eq!(classify("SELECT seats_left FROM course"), Sql::Plain);
        assert_eq!(
            classify("select seats_left from course  for update;"),
            Sql::ForUpdate
        );
        assert_eq!(
            classify("UPDATE course SET seats_left = seats_left - 1\n WHERE seats_left > 0"),
            Sql::Decrement
        );
        assert_eq!(
            classify("UPDATE course SET seats_left = $1, version = version + 1 WHERE version = $2"),
            Sql::SetIfVersion
        );
        assert_eq!(classify("UPDATE course SET seats_left = $1"), Sql::Plain);
    }
}
