//! What stands above the handler: its route's decorator, its request model, and the module's
//! constants, logging set-up and docstring.

use super::super::lexer::is_keyword;
use super::super::unsupported::ONE_CLASS;
use super::super::value::FIELDS;
use super::{boxed, Fail};
use super::{Expr, Model, Parser, Stmt, StmtKind, Tok};

impl Parser {
    /// A statement at the top of the code other than an import, the request model or the
    /// handler: a constant (`MAX_SEATS = 5`, maybe annotated), logging's set-up or the module's
    /// docstring; `None` for anything else.
    pub(super) fn module_statement(&mut self) -> Result<Option<Stmt>, Fail> {
        let next = self.toks.get(self.pos + 1).map(|t| &t.kind);
        let pos = self.here();
        let kind = match (self.peek(), next) {
            // Logging's set-up, `logging.basicConfig(level=logging.INFO)`.
            (Tok::Name(w), Some(Tok::Op("."))) if w == "logging" => StmtKind::Expr(self.expr()?),
            // The module's docstring: a value Python makes and drops.
            (Tok::Str(_), _) => {
                self.bump();
                StmtKind::Pass
            }
            (Tok::Name(w), Some(Tok::Op("=" | ":"))) if !is_keyword(w) => {
                let (name, _) = self.expect_name()?;
                if self.eat_op(":") {
                    self.annotation()?;
                }
                self.expect_op("=")?;
                StmtKind::Assign {
                    name,
                    op: None,
                    value: self.expr()?,
                }
            }
            _ => return Ok(None),
        };
        self.expect_newline()?;
        Ok(Some(Stmt { kind, pos }))
    }

    /// The request model, `class Student(BaseModel):`, whose body declares fields (`name: str`,
    /// maybe with a default), maybe after a docstring, or is `pass`. The annotations and
    /// defaults are read and left aside: every student here sends a name, an email and a course,
    /// so the model may declare any of those, and no other.
    pub(super) fn request_model(&mut self) -> Result<Model, Fail> {
        self.bump();
        let (name, _) = self.expect_name()?;
        // A class of its own (`class Config:`), another base, or more than one.
        if !self.eat_op("(") {
            return self.error(ONE_CLASS);
        }
        let (base, at) = self.dotted()?;
        if !matches!(base.as_str(), "BaseModel" | "pydantic.BaseModel") {
            return Err(boxed(at.line, at.col, ONE_CLASS));
        }
        if !self.eat_op(")") {
            return self.error(ONE_CLASS);
        }
        self.expect_op(":")?;
        // `class Student(BaseModel): pass` keeps its body on the line.
        let one_line = *self.peek() != Tok::Newline;
        if !one_line {
            self.bump();
            self.skip_newlines();
            if *self.peek() != Tok::Indent {
                return self.unexpected("the model's fields, indented");
            }
            self.bump();
        }
        let mut fields = Vec::new();
        loop {
            if !one_line {
                self.skip_newlines();
            }
            let next = self.toks.get(self.pos + 1).map(|t| &t.kind);
            match (self.peek(), next) {
                (Tok::Dedent | Tok::Eof, _) if !one_line => break,
                (Tok::Str(_) | Tok::Op("..."), _) => self.bump(),
                (Tok::Name(w), _) if w == "pass" => self.bump(),
                (Tok::Name(field), Some(Tok::Op(":"))) if !is_keyword(field) => {
                    if !FIELDS.contains(&field.as_str()) {
                        return self.error(format!(
                            "a field '{field}' is valid Python, but the students here send a \
                             name, an email and a course only: the model declares some of those"
                        ));
                    }
                    fields.push(field.clone());
                    // Its annotation and default: what FastAPI validates, not what runs.
                    while !matches!(self.peek(), Tok::Newline | Tok::Eof) {
                        self.bump();
                    }
                }
                _ => return self.error(ONE_CLASS),
            }
            self.expect_newline()?;
            if one_line {
                break;
            }
        }
        if *self.peek() == Tok::Dedent {
            self.bump();
        }
        Ok(Model {
            name,
            fields,
            base: at,
        })
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
