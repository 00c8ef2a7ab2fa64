//! Python's `logging` as a FastAPI module meets it under uvicorn: the root logger's level is
//! WARNING until `logging.basicConfig(level=...)` says otherwise, so `logger.info(...)` prints
//! nothing by default; a module-level `logging.warning(...)` installs the default handler
//! (`WARNING:root:text`), and a named logger with no handler anywhere falls back to Python's
//! last-resort handler, which writes the bare text. uvicorn configures only its own loggers.

use crate::sim::decimal;

/// The levels by name, as `logging.INFO` and the like give them.
pub(crate) const LEVELS: &[(&str, u8)] = &[
    ("DEBUG", 10),
    ("INFO", 20),
    ("WARNING", 30),
    ("ERROR", 40),
    ("CRITICAL", 50),
];

/// The logging functions a handler calls, and their levels (`warn` and `fatal` are Python's
/// old aliases).
pub(crate) const FUNCTIONS: &[(&str, u8)] = &[
    ("debug", 10),
    ("info", 20),
    ("warning", 30),
    ("warn", 30),
    ("error", 40),
    ("critical", 50),
    ("fatal", 50),
];

/// The module's name as `__name__` gives it under `uvicorn main:app`.
pub(crate) const MODULE_NAME: &str = "main";

/// The logging set-up the code above the handler makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LogConfig {
    /// The root logger's level, which every logger here inherits.
    pub level: u8,
    /// Whether `logging.basicConfig` gave the root logger its handler.
    pub configured: bool,
}

impl Default for LogConfig {
    fn default() -> LogConfig {
        LogConfig {
            level: 30,
            configured: false,
        }
    }
}

/// A level's name in a record: `INFO`.
pub(crate) fn level_name(level: u8) -> &'static str {
    LEVELS
        .iter()
        .find(|(_, l)| *l == level)
        .map_or("Level", |(name, _)| name)
}

/// What one logging call writes, if anything: `logger` is the named logger (`None`: the
/// module-level function, which gives the root logger its default handler first, as Python's
/// does), `root_handler` whether the root logger has a handler by now.
pub(crate) fn record(
    config: LogConfig,
    root_handler: &mut bool,
    logger: Option<&str>,
    level: u8,
    text: &str,
) -> Option<String> {
    if logger.is_none() && !*root_handler {
        *root_handler = true;
    }
    if level < config.level {
        return None;
    }
    Some(if *root_handler {
        format!("{}:{}:{text}", level_name(level), logger.unwrap_or("root"))
    } else {
        // The last resort handler: WARNING and above, the bare message.
        text.to_string()
    })
}

/// `msg % args` as logging applies it (only when there are args): `%s`, `%r`, `%d`, `%i`,
/// `%f` with an optional precision, and `%%`. `Err` holds Python's TypeError words, which
/// logging prints in place of the record.
pub(crate) fn percent(msg: &str, args: &[Arg]) -> Result<String, &'static str> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = msg.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            precision = decimal::whole(&digits).and_then(|n| usize::try_from(n).ok());
        }
        match chars.next() {
            Some('%') => out.push('%'),
            Some(kind @ ('s' | 'r' | 'd' | 'i' | 'f')) => {
                let arg = args
                    .next()
                    .ok_or("not enough arguments for format string")?;
                match (kind, arg) {
                    ('s', a) => out.push_str(&a.str),
                    ('r', a) => out.push_str(&a.repr),
                    (
                        'd' | 'i',
                        Arg {
                            number: Some(x), ..
                        },
                    ) => {
                        out.push_str(&format!("{}", x.trunc() as i64));
                    }
                    (
                        'f',
                        Arg {
                            number: Some(x), ..
                        },
                    ) => {
                        out.push_str(&decimal::fixed(*x, precision.unwrap_or(6)));
                    }
                    _ => return Err("a number is required for %d and %f"),
                }
            }
            _ => return Err("unsupported format character"),
        }
    }
    if args.next().is_some() {
        return Err("not all arguments converted during string formatting");
    }
    Ok(out)
}

/// One argument of a logging call, as `%s`, `%r` and the numeric conversions read it.
pub(crate) struct Arg {
    pub str: String,
    pub repr: String,
    pub number: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(s: &str, n: Option<f64>) -> Arg {
        Arg {
            str: s.into(),
            repr: format!("'{s}'"),
            number: n,
        }
    }

    #[test]
    fn records_follow_pythons_defaults() {
        // CPython 3.11, a fresh interpreter: logger.info() writes nothing; logger.warning('x')
        // writes 'x' (last resort); logging.warning('x') writes 'WARNING:root:x' and from then
        // on logger.warning('y') writes 'WARNING:main:y'.
        let config = LogConfig::default();
        let mut root = false;
        assert_eq!(record(config, &mut root, Some("main"), 20, "x"), None);
        assert_eq!(
            record(config, &mut root, Some("main"), 30, "x").as_deref(),
            Some("x")
        );
        assert_eq!(
            record(config, &mut root, None, 30, "x").as_deref(),
            Some("WARNING:root:x")
        );
        assert_eq!(
            record(config, &mut root, Some("main"), 30, "y").as_deref(),
            Some("WARNING:main:y")
        );
        // basicConfig(level=logging.INFO): info shows, with its level and logger.
        let info = LogConfig {
            level: 20,
            configured: true,
        };
        let mut root = true;
        assert_eq!(
            record(info, &mut root, Some("main"), 20, "hi").as_deref(),
            Some("INFO:main:hi")
        );
        assert_eq!(record(info, &mut root, None, 10, "hi"), None);
    }

    #[test]
    fn percent_formatting_is_pythons() {
        // CPython: 'registered %s (%d, %.2f, %r) 100%%' % ('a', 7.9, 2.5, 'a')
        //   == "registered a (7, 2.50, 'a') 100%"
        let args = [
            arg("a", None),
            arg("7.9", Some(7.9)),
            arg("2.5", Some(2.5)),
            arg("a", None),
        ];
        assert_eq!(
            percent("registered %s (%d, %.2f, %r) 100%%", &args).as_deref(),
            Ok("registered a (7, 2.50, 'a') 100%")
        );
        assert_eq!(
            percent("%s %s", &args[..1]),
            Err("not enough arguments for format string")
        );
        assert_eq!(
            percent("%s", &args[..2]),
            Err("not all arguments converted during string formatting")
        );
    }
}
