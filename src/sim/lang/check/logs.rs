//! The checker's logging: `logging.getLogger(...)` and `logging.basicConfig(level=...)` above
//! the handler, `logging.INFO` and the like as numbers, and the calls that write records.

use super::super::code::Instr;
use super::super::logging::{FUNCTIONS, LEVELS, MODULE_NAME};
use super::super::parser::{Expr, Pos, Stmt, StmtKind};
use super::super::unsupported::construct;
use super::super::world::Ty;
use super::{err, Callee, Checker};
use crate::sim::lang::Fail;

impl<'a> Checker<'a> {
    /// `logging.info` or `logger.info`, when `module.attr` is a logging call.
    pub(super) fn log_callee(
        &self,
        module: &str,
        attr: &str,
        pos: Pos,
    ) -> Result<Option<Callee>, Fail> {
        let logger = match self.var(module) {
            Some(slot) if self.vars[slot as usize].ty == Ty::Logger => Some(slot),
            Some(_) => return Ok(None),
            None if module == "logging" => None,
            None => return Ok(None),
        };
        if let Some((_, level)) = FUNCTIONS.iter().find(|(f, _)| *f == attr) {
            return Ok(Some(Callee::Log(*level, logger)));
        }
        let what = match (logger, attr) {
            (None, "getLogger" | "basicConfig") => {
                format!("'logging.{attr}' inside the handler")
            }
            (None, _) => format!("'logging.{attr}'"),
            (Some(_), _) => format!("a logger's '{attr}'"),
        };
        err(
            pos,
            construct(
                &what,
                "the handler logs with logging.info, warning, error and the like, or a logger \
                 made above it with logger = logging.getLogger(__name__)",
            ),
        )
    }

    /// `logging.INFO` and the other levels, as the numbers they are.
    pub(super) fn log_level(&mut self, base: &Expr, attr: &str) -> Option<Ty> {
        let Expr::Name(module, _) = base else {
            return None;
        };
        if module != "logging" || self.var(module).is_some() {
            return None;
        }
        let (_, level) = LEVELS.iter().find(|(name, _)| *name == attr)?;
        self.constant(super::super::value::Value::Int(i64::from(*level)), Ty::Int);
        Some(Ty::Int)
    }

    /// A line above the handler that sets up logging: `logger = logging.getLogger(__name__)`
    /// or `logging.basicConfig(level=logging.INFO)`. `None` when `stmt` is neither.
    pub(super) fn log_setup(&mut self, stmt: &'a Stmt) -> Option<Result<(), Fail>> {
        let (name, call) = match &stmt.kind {
            StmtKind::Assign {
                name,
                op: None,
                value,
            } => (Some(name), value),
            StmtKind::Expr(call) => (None, call),
            _ => return None,
        };
        let Expr::Call {
            func, args, kwargs, ..
        } = call
        else {
            return None;
        };
        let Expr::Attr(base, attr, pos) = func.as_ref() else {
            return None;
        };
        if !matches!(base.as_ref(), Expr::Name(m, _) if m == "logging") {
            return None;
        }
        if let Err(e) = self.import_fails("logging", *pos) {
            return Some(Err(e));
        }
        Some(match (name, attr.as_str()) {
            (Some(name), "getLogger") => self.get_logger(name, args, *pos),
            (None, "basicConfig") => self.basic_config(kwargs, *pos),
            _ => return None,
        })
    }

    fn get_logger(&mut self, name: &str, args: &[Expr], pos: Pos) -> Result<(), Fail> {
        let logger = match args {
            [] => "root".to_string(),
            [Expr::Name(n, _)] if n == "__name__" => MODULE_NAME.to_string(),
            [Expr::Str(s, _)] => s.clone(),
            _ => {
                return err(
                    pos,
                    construct(
                        "this getLogger argument",
                        "name the logger with __name__ or a string",
                    ),
                )
            }
        };
        let slot = self.bind(pos, name, Ty::Logger)?;
        self.assigned(slot);
        let text = self.texts.len() as u16;
        self.texts.push(logger);
        self.loggers.push((slot, text));
        Ok(())
    }

    fn basic_config(&mut self, kwargs: &[(String, Expr, Pos)], pos: Pos) -> Result<(), Fail> {
        let mut level = self.log_config.level;
        for (key, value, at) in kwargs {
            let given = match (key.as_str(), value) {
                ("level", Expr::Attr(base, name, _)) if matches!(base.as_ref(), Expr::Name(m, _) if m == "logging") => {
                    LEVELS.iter().find(|(n, _)| n == name).map(|(_, l)| *l)
                }
                ("level", Expr::Int(i, _)) => u8::try_from(*i).ok(),
                _ => None,
            };
            let Some(given) = given else {
                return err(
                    *at,
                    construct(
                        &format!("basicConfig's '{key}='"),
                        "it takes level=logging.DEBUG, INFO, WARNING, ERROR or CRITICAL",
                    ),
                );
            };
            level = given;
        }
        let _ = pos;
        self.log_config.level = level;
        self.log_config.configured = true;
        Ok(())
    }

    /// `logger.info("registered %s", student.email)`: the message and its arguments, then the
    /// record.
    pub(super) fn log_call(
        &mut self,
        level: u8,
        logger: Option<u16>,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        super::values::no_keywords(
            kwargs,
            |name| format!("a logging call's '{name}='"),
            "it takes the message and its %-arguments",
        )?;
        if args.is_empty() {
            return err(pos, "missing 1 required positional argument: 'msg'");
        }
        if args.len() > 16 {
            return err(pos, "a logging call here takes at most 16 arguments");
        }
        for arg in args {
            self.item(arg)?;
        }
        let logger = logger
            .and_then(|slot| self.loggers.iter().find(|(s, _)| *s == slot))
            .map_or(u16::MAX, |(_, text)| *text);
        self.code.push(Instr::Log {
            level,
            argc: args.len() as u8,
            logger,
            pos,
        });
        Ok(Ty::None)
    }
}
