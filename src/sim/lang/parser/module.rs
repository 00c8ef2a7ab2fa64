//! What stands above the handler: its route's decorator, and the module's constants, logging
//! set-up and docstring.

use super::super::lexer::is_keyword;
use super::{boxed, Fail};
use super::{Expr, Parser, Stmt, StmtKind, Tok};

impl Parser {
    /// A statement at the top of the code other than an import or the handler: a constant
    /// (`MAX_SEATS = 5`, maybe annotated), or valid Python the code here does not hold yet.
    pub(super) fn module_statement(&mut self) -> Result<Option<Stmt>, Fail> {
        let next = self.toks.get(self.pos + 1).map(|t| &t.kind);
        let message = match (self.peek(), next) {
            (Tok::Name(w), _) if w == "class" => {
                "'class' is valid Python, but the code here cannot define classes: the request \
                 model, Student, is taken as defined"
            }
            // Logging's set-up, `logging.basicConfig(level=logging.INFO)`.
            (Tok::Name(w), Some(Tok::Op("."))) if w == "logging" => {
                let pos = self.here();
                let call = self.expr()?;
                self.expect_newline()?;
                return Ok(Some(Stmt {
                    kind: StmtKind::Expr(call),
                    pos,
                }));
            }
            // The module's docstring: a value Python makes and drops.
            (Tok::Str(_), _) => {
                let pos = self.here();
                self.bump();
                self.expect_newline()?;
                return Ok(Some(Stmt {
                    kind: StmtKind::Pass,
                    pos,
                }));
            }
            (Tok::Name(w), Some(Tok::Op("=" | ":"))) if !is_keyword(w) => {
                let pos = self.here();
                let (name, _) = self.expect_name()?;
                if self.eat_op(":") {
                    self.dotted()?;
                }
                self.expect_op("=")?;
                let value = self.expr()?;
                self.expect_newline()?;
                return Ok(Some(Stmt {
                    kind: StmtKind::Assign {
                        name,
                        op: None,
                        value,
                    },
                    pos,
                }));
            }
            _ => return Ok(None),
        };
        self.error(message)
    }

    /// `@app.post("/path")` (any of the HTTP methods), after the `@`.
    /// Gives the route's `status_code=` (200 when it sets none).
    pub(super) fn decorator(&mut self) -> Result<u16, Fail> {
        let (app, pos) = self.expect_name()?;
        if app != "app" {
            return Err(boxed(
                pos.line,
                pos.col,
                format!(
                    "'@{app}' is valid Python, but a handler here is routed by \
                     @app.post(\"/path\") (or get, put, patch, delete)"
                ),
            ));
        }
        self.expect_op(".")?;
        let (method, pos) = self.expect_name()?;
        if !matches!(method.as_str(), "post" | "get" | "put" | "patch" | "delete") {
            return Err(boxed(
                pos.line,
                pos.col,
                format!("'{method}' is not a route method: use post, get, put, patch or delete"),
            ));
        }
        self.expect_op("(")?;
        match self.take() {
            Tok::Str(_) => {}
            _ => {
                self.pos -= 1;
                return self.unexpected("the route's path, a string");
            }
        }
        // The route's other options (`response_model=...`) change what FastAPI sends, not
        // when the worker is busy: they are read and left aside.
        let mut success = 200;
        while self.eat_op(",") {
            if self.is_op(")") {
                break;
            }
            let (key, _) = self.expect_name()?;
            self.expect_op("=")?;
            let at = self.here();
            let value = self.expr()?;
            if key == "status_code" {
                success = match value {
                    Expr::Int(code, _) if (100..600).contains(&code) => code as u16,
                    _ => {
                        return Err(boxed(
                            at.line,
                            at.col,
                            "status_code here is a number from 100 to 599, such as 201",
                        ))
                    }
                };
            }
        }
        self.expect_op(")")?;
        self.expect_newline()?;
        Ok(success)
    }
}
