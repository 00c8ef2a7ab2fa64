//! The handler language's syntax: tokens to a tree (`ast`), by recursive descent over Python's
//! grammar for the subset the language covers. Names are not resolved here and nothing is
//! typed: that is the checker's job.

pub(crate) use super::ast::{BinOp, Except, Expr, Handler, Kwarg, Model, Pos, Stmt, StmtKind};
use super::lexer::{is_keyword, Tok, Token};
use super::unsupported::{self, IMPORTS_HINT};
use super::{boxed, CodeError, Fail};

mod expr;
mod fstring;
mod functions;
mod handlers;
mod module;

/// Most levels an expression may nest (brackets, calls, operators and their operands): the
/// parser and the checker descend one level per call, and the browser's stack is small. CPython
/// stops at its own limits near here (200 brackets; ~3,000 unary minus signs).
pub(crate) const MAX_DEPTH: u32 = 200;

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    /// How deep the expression being read nests so far (see [`MAX_DEPTH`]).
    depth: u32,
    /// The tokens stop early, at a lexical error: their end is not the code's.
    truncated: bool,
}

/// Parses a token list into the handler.
///
/// # Errors
/// The first syntax error, where Python's parser would report it, or a construct the language
/// does not support.
pub(crate) fn parse(toks: Vec<Token>, truncated: bool) -> Result<Handler, CodeError> {
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
        truncated,
    };
    p.program().map_err(|e| *e)
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].kind
    }

    fn here(&self) -> Pos {
        let t = &self.toks[self.pos.min(self.toks.len() - 1)];
        Pos {
            line: t.line,
            col: t.col,
        }
    }

    /// Moves past the current token.
    #[inline(never)]
    fn bump(&mut self) {
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
    }

    /// The current token, moving past it.
    fn take(&mut self) -> Tok {
        let t = self.peek().clone();
        self.bump();
        t
    }

    /// Valid Python a handler here cannot use among its values: `what`, in the language's
    /// words. One function for the many places that say it.
    #[inline(never)]
    fn not_a_value(&self, what: &str) -> Fail {
        self.fail(unsupported::construct(what, unsupported::VALUES_HINT))
    }

    /// The error `message` at the current token. Generic only in this line: the error itself
    /// is made by one function for every result type.
    #[inline(always)]
    fn error<T>(&self, message: impl Into<String>) -> Result<T, Fail> {
        Err(self.fail(message.into()))
    }

    fn fail(&self, message: String) -> Fail {
        let p = self.here();
        boxed(p.line, p.col, message)
    }

    #[inline(always)]
    fn unexpected<T>(&self, wanted: &str) -> Result<T, Fail> {
        Err(self.fail_unexpected(wanted))
    }

    fn fail_unexpected(&self, wanted: &str) -> Fail {
        self.fail(format!(
            "expected {wanted}, found {}",
            self.peek().describe()
        ))
    }

    /// One level deeper, or the error that says the expression nests too deeply. A level is
    /// given back by [`Parser::leave`]; an error ends the parse, so nothing is given back then.
    fn enter(&mut self) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(format!(
                "this expression nests more than {MAX_DEPTH} levels deep; a handler here \
                 allows at most {MAX_DEPTH}"
            ));
        }
        Ok(())
    }

    fn leave(&mut self, levels: u32) {
        self.depth -= levels;
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_name(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == name)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.bump();
        }
        yes
    }

    fn expect_op(&mut self, op: &str) -> Result<(), Fail> {
        if self.eat_op(op) {
            Ok(())
        } else {
            self.unexpected(&format!("'{op}'"))
        }
    }

    fn expect_name(&mut self) -> Result<(String, Pos), Fail> {
        let pos = self.here();
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) => {
                self.bump();
                Ok((n, pos))
            }
            _ => self.unexpected("a name"),
        }
    }

    fn expect_newline(&mut self) -> Result<(), Fail> {
        match self.peek() {
            Tok::Newline => {
                self.bump();
                Ok(())
            }
            Tok::Op(";") => self.error("';' between statements is not supported: one per line"),
            _ => self.unexpected("the end of the line"),
        }
    }

    fn skip_newlines(&mut self) {
        while *self.peek() == Tok::Newline {
            self.bump();
        }
    }

    fn program(&mut self) -> Result<Handler, Fail> {
        let mut imports = Vec::new();
        let mut constants = Vec::new();
        let mut functions: Vec<functions::Function> = Vec::new();
        let mut model = None;
        loop {
            self.skip_newlines();
            if self.is_name("import") {
                self.bump();
                loop {
                    let (module, pos) = self.dotted()?;
                    if !matches!(module.as_str(), "asyncio" | "time" | "logging") {
                        return Err(boxed(
                            pos.line,
                            pos.col,
                            format!("'import {module}' is valid Python, but {IMPORTS_HINT}"),
                        ));
                    }
                    imports.push(module);
                    if !self.eat_op(",") {
                        break;
                    }
                }
                self.expect_newline()?;
            } else if self.is_name("from") {
                self.bump();
                let (module, pos) = self.dotted()?;
                let Some(names) = unsupported::importable(&module) else {
                    return Err(boxed(
                        pos.line,
                        pos.col,
                        format!("'from {module} import ...' is valid Python, but {IMPORTS_HINT}"),
                    ));
                };
                if !self.is_name("import") {
                    return self.unexpected("'import'");
                }
                self.bump();
                loop {
                    let (name, pos) = self.expect_name()?;
                    if !names.contains(&name.as_str()) {
                        return Err(boxed(
                            pos.line,
                            pos.col,
                            format!(
                                "'{name}' from {module} is valid Python, but a handler here \
                                 imports only {} from it",
                                crate::sim::text::join(names, ", ")
                            ),
                        ));
                    }
                    if self.is_name("as") {
                        return self.error(unsupported::construct(
                            "an import under another name",
                            "import the name as it is",
                        ));
                    }
                    imports.push(name);
                    if !self.eat_op(",") {
                        break;
                    }
                }
                self.expect_newline()?;
            } else if self.is_op("@") || self.is_name("def") || self.is_name("async") {
                functions.push(self.function()?);
            } else if *self.peek() == Tok::Eof {
                break;
            } else if self.is_name("class") {
                if model.is_some() {
                    return self.error(unsupported::ONE_CLASS);
                }
                model = Some(self.request_model()?);
            } else if let Some(constant) = self.module_statement()? {
                constants.push(constant);
            } else if functions.is_empty() {
                return self.unexpected("imports, @app.post(\"/path\"), then async def or def");
            } else {
                return self.error(
                    "this line is not indented, so it is outside the handler: indent it to put \
                     it in the handler's body",
                );
            }
        }
        // Code with import lines names what it imports: Python defines no BaseModel otherwise.
        if let Some(m) = &model {
            if !imports.is_empty() && !imports.iter().any(|i| i == "BaseModel") {
                return Err(boxed(
                    m.base.line,
                    m.base.col,
                    "name 'BaseModel' is not defined",
                ));
            }
        }
        let handler = functions
            .iter()
            .rposition(|f| f.route.is_some())
            .or(functions.len().checked_sub(1));
        let Some(index) = handler else {
            return self
                .error("expected a handler: async def NAME(student): or def NAME(student):");
        };
        if let Some(second) = functions.iter().filter(|f| f.route.is_some()).nth(1) {
            return Err(boxed(
                second.pos.line,
                second.pos.col,
                "a second route is valid FastAPI, but the code here is one handler",
            ));
        }
        let handler = functions.remove(index);
        let params = handler.handler_params()?;
        let helpers = functions
            .into_iter()
            .map(functions::Function::helper)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Handler {
            is_async: handler.is_async,
            name: handler.name,
            param: params.student,
            body: handler.body,
            imports,
            constants,
            success: handler.route.unwrap_or(200),
            background: params.background,
            helpers,
            depends: params.depends,
            model,
        })
    }

    fn dotted(&mut self) -> Result<(String, Pos), Fail> {
        let (mut name, pos) = self.expect_name()?;
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.expect_name()?.0);
        }
        Ok((name, pos))
    }

    /// After a `:`: an indented block, or one simple statement on the same line.
    /// `after`: what the block belongs to and its line, for CPython's message when it is missing.
    fn block(&mut self, after: (&str, u32)) -> Result<Vec<Stmt>, Fail> {
        if *self.peek() != Tok::Newline {
            let stmt = self.simple()?;
            self.expect_newline()?;
            return Ok(vec![stmt]);
        }
        let end_of_header = self.here();
        self.bump();
        self.skip_newlines();
        if *self.peek() != Tok::Indent {
            // CPython points at the next line's first token, or at the end of the header
            // when the code ends there.
            let rest_is_empty = self.toks[self.pos..]
                .iter()
                .all(|t| matches!(t.kind, Tok::Dedent | Tok::Newline | Tok::Eof));
            // Where the tokens were cut short, the code may well go on: the cut is the place.
            let at = if rest_is_empty && !self.truncated {
                self.toks.last().map_or(end_of_header, |t| Pos {
                    line: t.line,
                    col: t.col,
                })
            } else {
                self.here()
            };
            let (what, line) = after;
            return Err(boxed(
                at.line,
                at.col,
                format!("expected an indented block after {what} on line {line}"),
            ));
        }
        self.bump();
        let mut body = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek() {
                Tok::Dedent => {
                    self.bump();
                    return Ok(body);
                }
                Tok::Eof => return Ok(body),
                Tok::Indent => return self.error("unexpected indent"),
                _ => body.push(self.statement()?),
            }
        }
    }

    fn statement(&mut self) -> Result<Stmt, Fail> {
        let pos = self.here();
        if self.is_name("try") {
            return self.try_stmt(pos);
        }
        let with = matches!(self.toks.get(self.pos + 1).map(|t| &t.kind), Some(Tok::Name(w)) if w == "with");
        if self.is_name("async") && with {
            return self.async_with(pos);
        }
        if self.is_name("if") {
            self.bump();
            let mut branches = Vec::new();
            let cond = self.expr()?;
            self.expect_op(":")?;
            branches.push((cond, self.block(("'if' statement", pos.line))?));
            let mut orelse = Vec::new();
            loop {
                self.skip_newlines();
                let line = self.here().line;
                if self.is_name("elif") {
                    self.bump();
                    let cond = self.expr()?;
                    self.expect_op(":")?;
                    branches.push((cond, self.block(("'elif' statement", line))?));
                } else if self.is_name("else") {
                    self.bump();
                    self.expect_op(":")?;
                    orelse = self.block(("'else' statement", line))?;
                    break;
                } else {
                    break;
                }
            }
            return Ok(Stmt {
                kind: StmtKind::If { branches, orelse },
                pos,
            });
        }
        if self.is_name("for") {
            return self.for_loop(pos);
        }
        if self.is_name("while") {
            self.bump();
            let cond = self.expr()?;
            self.expect_op(":")?;
            let body = self.block(("'while' statement", pos.line))?;
            self.no_loop_else()?;
            return Ok(Stmt {
                kind: StmtKind::While { cond, body },
                pos,
            });
        }
        let stmt = self.simple()?;
        self.expect_newline()?;
        Ok(stmt)
    }

    fn for_loop(&mut self, pos: Pos) -> Result<Stmt, Fail> {
        self.bump();
        let (var, _) = self.expect_name()?;
        if self.is_op(",") {
            return Err(self.not_a_value("a tuple"));
        }
        if !self.is_name("in") {
            return self.unexpected("'in'");
        }
        self.bump();
        if !self.is_name("range") {
            return self.error("a for loop runs over range(N) only");
        }
        self.bump();
        self.expect_op("(")?;
        let first = self.expr()?;
        let (start, end) = if self.eat_op(",") {
            (Some(first), self.expr()?)
        } else {
            (None, first)
        };
        self.expect_op(")")?;
        self.expect_op(":")?;
        let body = self.block(("'for' statement", pos.line))?;
        self.no_loop_else()?;
        Ok(Stmt {
            kind: StmtKind::For {
                var,
                start,
                end,
                body,
            },
            pos,
        })
    }

    fn simple(&mut self) -> Result<Stmt, Fail> {
        let pos = self.here();
        if let Tok::Name(word) = self.peek().clone() {
            match word.as_str() {
                "pass" => {
                    self.bump();
                    return Ok(Stmt {
                        kind: StmtKind::Pass,
                        pos,
                    });
                }
                "break" | "continue" => {
                    self.bump();
                    return Ok(Stmt {
                        kind: if word == "break" {
                            StmtKind::Break
                        } else {
                            StmtKind::Continue
                        },
                        pos,
                    });
                }
                "return" => {
                    self.bump();
                    let value = if *self.peek() == Tok::Newline {
                        None
                    } else {
                        Some(self.expr()?)
                    };
                    return Ok(Stmt {
                        kind: StmtKind::Return(value),
                        pos,
                    });
                }
                "raise" => {
                    self.bump();
                    if *self.peek() == Tok::Newline {
                        return Ok(Stmt {
                            kind: StmtKind::Raise(None),
                            pos,
                        });
                    }
                    let exception = Some(self.expr()?);
                    if self.is_name("from") {
                        return self.error(unsupported::construct(
                            "'raise ... from'",
                            "raise the exception alone",
                        ));
                    }
                    return Ok(Stmt {
                        kind: StmtKind::Raise(exception),
                        pos,
                    });
                }
                "if" | "for" => {
                    return self.error(format!("'{word}' must start its own line"));
                }
                w => {
                    let next_is_op = matches!(
                        self.toks.get(self.pos + 1).map(|t| &t.kind),
                        Some(Tok::Op(_))
                    );
                    if let Some(message) = unsupported::statement(w, next_is_op) {
                        return self.error(message);
                    }
                }
            }
        }
        let target = self.expr()?;
        if self.is_op(",") {
            // `a, b = 1, 2`, or a tuple as a statement.
            return Err(self.not_a_value("a tuple"));
        }
        // `count: int = 0`: the annotation is read and left aside.
        if matches!(target, Expr::Name(..)) && self.eat_op(":") {
            self.annotation()?;
            if !self.is_op("=") {
                return self.error(unsupported::construct(
                    "an annotation without a value (x: int)",
                    "give it one, x: int = 0",
                ));
            }
        }
        let op = match self.peek() {
            Tok::Op("=") => None,
            Tok::Op("+=") => Some(BinOp::Add),
            Tok::Op("-=") => Some(BinOp::Sub),
            Tok::Op("*=") => Some(BinOp::Mul),
            Tok::Op("/=") => Some(BinOp::Div),
            Tok::Op("//=") => Some(BinOp::FloorDiv),
            Tok::Op("%=") => Some(BinOp::Mod),
            _ => {
                return Ok(Stmt {
                    kind: StmtKind::Expr(target),
                    pos,
                })
            }
        };
        let Expr::Name(name, _) = target else {
            return Err(boxed(
                pos.line,
                pos.col,
                if matches!(target, Expr::Attr(..) | Expr::Index(..)) {
                    unsupported::construct(
                        "assigning to an attribute or an item",
                        "assign to a name",
                    )
                } else {
                    "cannot assign to this expression: only to a name".into()
                },
            ));
        };
        self.bump();
        let value = self.expr()?;
        if self.is_op(",") {
            return Err(self.not_a_value("a tuple"));
        }
        if self.is_op("=") {
            return self.error(unsupported::construct(
                "chained assignment (a = b = 1)",
                "assign one name at a time",
            ));
        }
        Ok(Stmt {
            kind: StmtKind::Assign { name, op, value },
            pos,
        })
    }
}
