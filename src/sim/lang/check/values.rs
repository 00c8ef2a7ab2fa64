//! The checker's values beyond numbers: strings and f-strings, list and dict displays (what a
//! handler returns), and the student's fields.

use super::super::builtins::Builtin;
use super::super::code::Instr;
use super::super::methods::{python_has_method, StrMethod};
use super::super::parser::{Expr, Pos, Stmt, StmtKind};
use super::super::unsupported::{self, construct};
use super::super::value::FIELDS;
use super::super::world::Ty;
use super::{err, Checker};
use crate::sim::lang::Fail;

impl<'a> Checker<'a> {
    /// A string, an f-string, a list or a dict: its instructions and type.
    pub(super) fn display(&mut self, e: &Expr) -> Result<Ty, Fail> {
        Ok(match e {
            Expr::Str(s, pos) => {
                let Ok(i) = u16::try_from(self.texts.len()) else {
                    return err(*pos, "too many strings in one handler");
                };
                self.texts.push(s.clone());
                self.code.push(Instr::Text(i));
                Ty::Str
            }
            Expr::FStr(pieces, pos) => {
                for p in pieces {
                    self.item(p)?;
                }
                self.code.push(Instr::Format(pieces.len() as u16, *pos));
                Ty::Str
            }
            Expr::List(items, pos) => {
                for x in items {
                    self.item(x)?;
                }
                self.code.push(Instr::Build {
                    dict: false,
                    n: items.len() as u16,
                    pos: *pos,
                });
                Ty::List
            }
            Expr::Dict(pairs, pos) => {
                for (k, v) in pairs {
                    let ty = self.item(k)?;
                    if matches!(ty, Ty::List | Ty::Dict) {
                        return err(k.pos(), format!("unhashable type: '{}'", ty.name()));
                    }
                    self.item(v)?;
                }
                self.code.push(Instr::Build {
                    dict: true,
                    n: pairs.len() as u16,
                    pos: *pos,
                });
                Ty::Dict
            }
            _ => unreachable!("display() is called for displays only"),
        })
    }

    /// A value inside a display: anything but a coroutine, which the run would have to keep.
    pub(super) fn item(&mut self, e: &Expr) -> Result<Ty, Fail> {
        let ty = self.expr(e)?;
        if ty == Ty::Coro {
            return err(
                e.pos(),
                construct(
                    "a coroutine inside an f-string, a list or a dict",
                    "await it first and use what it gives",
                ),
            );
        }
        Ok(ty)
    }

    /// `student.email` and the other fields of the request model: `None` when `base.attr` is
    /// not one.
    pub(super) fn field(&mut self, base: &Expr, attr: &str) -> Result<Option<Ty>, Fail> {
        let Expr::Name(name, pos) = base else {
            return Ok(None);
        };
        let Some(slot) = self.var(name) else {
            return Ok(None);
        };
        let Some(i) = FIELDS.iter().position(|f| *f == attr) else {
            return Ok(None);
        };
        // A model that leaves the field out leaves Python's student without it.
        if self
            .model
            .is_some_and(|m| !m.fields.iter().any(|f| f == attr))
        {
            return Ok(None);
        }
        if self.vars[slot as usize].ty != Ty::Student {
            return Ok(None);
        }
        self.load(*pos, name)?;
        self.code.push(Instr::Field(i as u8));
        Ok(Some(Ty::Str))
    }

    /// An `if`'s condition: only its truth is read, so `and`, `or` and `not` may join values
    /// of any types there (`if student.name and count > 0:`).
    pub(super) fn condition(&mut self, e: &Expr) -> Result<Ty, Fail> {
        match e {
            Expr::Logic(and, left, right, _) => {
                self.condition(left)?;
                let at = self.here();
                self.code.push(if *and {
                    Instr::AndJump(0)
                } else {
                    Instr::OrJump(0)
                });
                self.condition(right)?;
                let end = self.here();
                self.patch(at, end);
                Ok(Ty::Bool)
            }
            Expr::Not(inner, _) => {
                self.condition(inner)?;
                self.code.push(Instr::Not);
                Ok(Ty::Bool)
            }
            _ => self.expr(e),
        }
    }

    /// A module-level `NAME = value`: a constant, which makes no call.
    pub(super) fn module_constant(&mut self, stmt: &'a Stmt) -> Result<(), Fail> {
        if let Some(setup) = self.log_setup(stmt) {
            return setup;
        }
        if let Some(setup) = self.app_setup(stmt) {
            return setup;
        }
        if let Some(setup) = self.lock_setup(stmt) {
            return setup;
        }
        if let StmtKind::Assign { value, .. } = &stmt.kind {
            // A loop over the tree, not a recursion: the tree may be 200 levels deep.
            let mut todo = vec![value];
            while let Some(e) = todo.pop() {
                match e {
                    Expr::Call { pos, .. } | Expr::Await(_, pos) => {
                        return err(
                            *pos,
                            construct(
                                "a call or an await at the top of the code",
                                "the code above the handler holds imports and constants",
                            ),
                        )
                    }
                    Expr::Attr(base, ..) | Expr::Neg(base, _) | Expr::Not(base, _) => {
                        todo.push(base)
                    }
                    Expr::Binary(_, l, r, _) | Expr::Logic(_, l, r, _) => {
                        todo.push(l);
                        todo.push(r);
                    }
                    Expr::FStr(items, _) | Expr::List(items, _) => todo.extend(items),
                    Expr::Dict(pairs, _) => {
                        for (k, v) in pairs {
                            todo.push(k);
                            todo.push(v);
                        }
                    }
                    _ => {}
                }
            }
        }
        self.statement(stmt)
    }

    /// `print(a, b)`: its values as `str()` writes them, joined by a space, onto the run's log.
    pub(super) fn print(
        &mut self,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        no_keywords(
            kwargs,
            |name| format!("print()'s '{name}='"),
            "print writes its values joined by a space, one line per call",
        )?;
        for arg in args {
            self.item(arg)?;
        }
        self.code.push(Instr::Print(args.len() as u16, pos));
        Ok(Ty::None)
    }

    /// `len(x)`, `int(text)` and the other built-in functions: their arguments and type.
    pub(super) fn builtin(
        &mut self,
        b: Builtin,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        let Expr::Name(name, _) = func else {
            return err(func.pos(), "a built-in function is called by its name");
        };
        no_keywords(
            kwargs,
            |key| format!("{name}()'s '{key}='"),
            "give its arguments by position",
        )?;
        let mut types = Vec::new();
        for arg in args {
            types.push(self.item(arg)?);
        }
        match b.returns(name, &types) {
            Ok(Some(ty)) => {
                self.code.push(Instr::Builtin(b, args.len() as u8, pos));
                Ok(ty)
            }
            Ok(None) => err(
                pos,
                construct(
                    &format!("{name}() with these arguments"),
                    "min and max take two or more values of one type, round one number",
                ),
            ),
            Err(words) => err(pos, words),
        }
    }

    /// `email.lower()` and the other methods of a value: the value, its arguments, the call.
    pub(super) fn method(
        &mut self,
        func: &Expr,
        args: &[Expr],
        kwargs: &[(String, Expr, Pos)],
        pos: Pos,
    ) -> Result<Ty, Fail> {
        let Expr::Attr(base, name, at) = func else {
            return err(func.pos(), "a method is called on a value");
        };
        let ty = self.expr(base)?;
        let runs =
            "on strings it runs lower, upper, strip, startswith, endswith, replace and split";
        let method = StrMethod::named(name).filter(|_| ty == Ty::Str);
        let Some(method) = method else {
            return err(
                *at,
                if python_has_method(ty, name) {
                    construct(&format!("'{}.{name}()'", ty.name()), runs)
                } else {
                    unsupported::field(ty, name, self.model)
                },
            );
        };
        no_keywords(kwargs, |key| format!("{name}()'s '{key}='"), runs)?;
        let (wanted, returns) = method.signature();
        let split_sep = method == StrMethod::Split && args.len() == 1;
        if args.len() != wanted && !split_sep {
            return err(
                pos,
                format!(
                    "str.{name}() takes {} ({} given)",
                    match wanted {
                        0 => "no arguments",
                        1 => "exactly one argument",
                        _ => "exactly two arguments",
                    },
                    args.len()
                ),
            );
        }
        for arg in args {
            let ty = self.expr(arg)?;
            if ty != Ty::Str {
                return err(arg.pos(), format!("must be str, not {}", ty.name()));
            }
        }
        self.code.push(Instr::Method(method, args.len() as u8, pos));
        Ok(returns)
    }
}

/// Keyword arguments a call here does not take, owned up to: `what` names the first one.
pub(super) fn no_keywords(
    kwargs: &[(String, Expr, Pos)],
    what: impl Fn(&str) -> String,
    nearby: &str,
) -> Result<(), Fail> {
    match kwargs.first() {
        Some((name, _, at)) => err(*at, construct(&what(name), nearby)),
        None => Ok(()),
    }
}
