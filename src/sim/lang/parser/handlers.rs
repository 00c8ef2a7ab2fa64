//! `try` with its `except` clauses, `else` and `finally`, as Python's grammar has them.

use super::super::unsupported::construct;
use super::{boxed, Fail};
use super::{Except, Parser, Pos, Stmt, StmtKind};

impl Parser {
    /// At `try`.
    pub(super) fn try_stmt(&mut self, pos: Pos) -> Result<Stmt, Fail> {
        self.bump();
        self.expect_op(":")?;
        let body = self.block(("'try' statement", pos.line))?;
        let mut handlers = Vec::new();
        loop {
            self.skip_newlines();
            if !self.is_name("except") {
                break;
            }
            let at = self.here();
            self.bump();
            let classes = if self.is_op(":") {
                Vec::new()
            } else if self.is_op("*") {
                return self.error(construct(
                    "'except*' (exception groups)",
                    "except CLASS: or except (A, B):",
                ));
            } else if self.eat_op("(") {
                // `except (A, B):`, a tuple of classes.
                let mut classes = vec![self.expect_name()?];
                while self.eat_op(",") && !self.is_op(")") {
                    classes.push(self.expect_name()?);
                }
                self.expect_op(")")?;
                classes
            } else {
                let class = self.expect_name()?;
                if self.is_op(",") {
                    // CPython 3.11's words, at the first class.
                    return Err(boxed(
                        class.1.line,
                        class.1.col,
                        "multiple exception types must be parenthesized",
                    ));
                }
                vec![class]
            };
            let name = if self.is_name("as") {
                self.bump();
                Some(self.expect_name()?.0)
            } else {
                None
            };
            self.expect_op(":")?;
            let body = self.block(("'except' statement", at.line))?;
            handlers.push(Except {
                classes,
                name,
                body,
                pos: at,
            });
        }
        let mut orelse = Vec::new();
        if !handlers.is_empty() && self.is_name("else") {
            let line = self.here().line;
            self.bump();
            self.expect_op(":")?;
            orelse = self.block(("'else' statement", line))?;
            self.skip_newlines();
        }
        let mut finally = Vec::new();
        if self.is_name("finally") {
            let line = self.here().line;
            self.bump();
            self.expect_op(":")?;
            finally = self.block(("'finally' statement", line))?;
        } else if handlers.is_empty() {
            // CPython 3.11's words.
            return self.error("expected 'except' or 'finally' block");
        }
        Ok(Stmt {
            kind: StmtKind::Try {
                body,
                handlers,
                orelse,
                finally,
            },
            pos,
        })
    }

    /// At `async with`: one context manager, no `as`.
    pub(super) fn async_with(&mut self, pos: Pos) -> Result<Stmt, Fail> {
        self.bump();
        self.bump();
        let context = self.expr()?;
        if self.is_op(",") || self.is_name("as") {
            return self.error(construct(
                "this 'async with' (several contexts, or 'as')",
                "one context, as in async with asyncio.timeout(1):",
            ));
        }
        self.expect_op(":")?;
        let body = self.block(("'with' statement", pos.line))?;
        Ok(Stmt {
            kind: StmtKind::AsyncWith { context, body },
            pos,
        })
    }

    /// A loop's `else:` clause, which runs when the loop ends without a break.
    pub(super) fn no_loop_else(&mut self) -> Result<(), Fail> {
        let next = self
            .toks
            .iter()
            .skip(self.pos)
            .find(|t| !matches!(t.kind, super::Tok::Newline));
        if next.is_some_and(|t| matches!(&t.kind, super::Tok::Name(w) if w == "else")) {
            while *self.peek() == super::Tok::Newline {
                self.bump();
            }
            return self.error(construct("a loop's 'else:'", "test after the loop instead"));
        }
        Ok(())
    }
}
