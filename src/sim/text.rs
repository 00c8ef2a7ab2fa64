//! Finding a text in another for the core and the page, by comparing at each byte. The standard
//! `str` methods given a text to look for (`contains("..")`, `find`, `split`, `replace`,
//! `trim_end_matches`) bring in core's two-way searcher, about 900 bytes of the release's gzip,
//! for texts of a few hundred bytes at most, where comparing at each position is as fast. A
//! single character to look for (`split(',')`, `lines()`, `split_once('=')`) brings core's
//! character searcher and its `memchr` instead, about 300 bytes, so those are cut here too; a
//! `contains` or `rfind` of a character is worse: `contains(c)` looks for a character beyond ASCII
//! as a text (the two-way searcher again), `rfind(c)` brings a searcher backwards of its own, so
//! an ASCII character is looked for as a byte here ([`has_byte`], [`last_byte`]).

/// Where `needle` first starts in `hay`, as a byte offset (0 for an empty `needle`). A match of
/// one UTF-8 text in another always starts on a character, so the offset can cut `hay`.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// Whether `hay` holds `needle`.
pub fn contains(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

/// Whether `hay` holds the ASCII character `b`. A UTF-8 text holds an ASCII byte only as that
/// character (every byte of a longer character is 128 or more), so this is `hay.contains(b)`.
pub fn has_byte(hay: &str, b: u8) -> bool {
    hay.bytes().any(|x| x == b)
}

/// Where the last ASCII character `b` is in `hay`, as a byte offset: `hay.rfind(b)`, for the
/// same reason as [`has_byte`].
pub fn last_byte(hay: &str, b: u8) -> Option<usize> {
    hay.bytes().rposition(|x| x == b)
}

/// The parts of `hay` between each `sep`, as `str::split` gives them; `sep` is not empty (an
/// empty one gives `hay` whole).
pub fn split<'a>(hay: &'a str, sep: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut rest = hay;
    while let Some(i) = find(rest, sep).filter(|_| !sep.is_empty()) {
        parts.push(&rest[..i]);
        rest = &rest[i + sep.len()..];
    }
    parts.push(rest);
    parts
}

/// `hay` cut at the first `sep`, as `str::split_once` does.
pub fn split_once<'a>(hay: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    find(hay, sep).map(|i| (&hay[..i], &hay[i + sep.len()..]))
}

/// The lines of `hay` as `str::lines` counts them: a final newline starts no line, an empty
/// text has none (a `\r` before a newline stays on its line).
pub fn lines(hay: &str) -> Vec<&str> {
    let mut lines = split(hay, "\n");
    if lines.last() == Some(&"") {
        lines.pop();
    }
    lines
}

/// `parts` with `sep` between each two, as `parts.join(sep)`: that method is one copy of its code
/// per element type, and the app's lists of `String`s keep one, so lists of `&str` take this
/// loop instead of a second copy (about 400 bytes of the release's gzip).
pub fn join(parts: &[&str], sep: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(part);
    }
    out
}

/// `hay` with each `old` replaced by `new`, as `str::replace` does: an empty `old` is found
/// before every character and at the end (Python's `"ab".replace("", "-")` is `"-a-b-"` too).
pub fn replace(hay: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in hay.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    join(&split(hay, old), new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_agrees_with_the_standard_methods() {
        let hays = [
            "",
            "a",
            "aaa",
            "db.fetchrow(x)",
            "héllo wörld",
            "a,,b,",
            "seats_left-1;",
        ];
        let needles = [
            "",
            "a",
            "aa",
            ",",
            "ö",
            "db.fetch",
            "seats_left-1",
            "zz",
            "héllo wörld!",
        ];
        for hay in hays {
            for needle in needles {
                assert_eq!(find(hay, needle), hay.find(needle), "{hay:?} {needle:?}");
                assert_eq!(contains(hay, needle), hay.contains(needle));
                assert_eq!(replace(hay, needle, "<>"), hay.replace(needle, "<>"));
                if !needle.is_empty() {
                    assert_eq!(split(hay, needle), hay.split(needle).collect::<Vec<_>>());
                    assert_eq!(split_once(hay, needle), hay.split_once(needle));
                }
            }
        }
        assert_eq!(split("abc", ""), ["abc"]);
        for hay in ["", "\n", "a", "a\n", "a\nb", "a\n\nb\n", "\n\n", "a\r\nb"] {
            let want: Vec<&str> = hay
                .split_inclusive('\n')
                .map(|l| l.trim_end_matches('\n'))
                .collect();
            assert_eq!(lines(hay), want, "{hay:?}");
            assert_eq!(lines(hay).len(), hay.lines().count(), "{hay:?}");
        }
        for parts in [&[][..], &["a"], &["a", "", "bc"], &["", ""]] {
            assert_eq!(join(parts, ", "), parts.join(", "));
        }
        for hay in hays {
            for b in [b'a', b',', b'-', b'.', b'x'] {
                assert_eq!(has_byte(hay, b), hay.contains(char::from(b)), "{hay:?} {b}");
                assert_eq!(last_byte(hay, b), hay.rfind(char::from(b)), "{hay:?} {b}");
            }
        }
    }
}
