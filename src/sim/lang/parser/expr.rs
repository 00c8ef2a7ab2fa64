//! Expressions, from `or` down to atoms: each rule a loop where Python's grammar repeats, and
//! every level counted against [`super::MAX_DEPTH`] so that no input can outrun the stack.

use super::super::lexer::{is_keyword, tokens_until_error, unescape};
use super::super::unsupported::{self, construct};
use super::{boxed, Fail};
use super::{BinOp, Expr, Kwarg, Parser, Pos, Tok};
use crate::sim::text;

impl Parser {
    pub(super) fn expr(&mut self) -> Result<Expr, Fail> {
        // `a or b or c` as a loop (Python's `or` is associative for its value and its
        // short-circuit), so a long chain costs levels, not the stack.
        let mut left = self.and_expr()?;
        let mut levels = 0;
        while self.is_name("or") {
            let pos = self.here();
            self.bump();
            self.enter()?;
            levels += 1;
            let right = self.and_expr()?;
            left = Expr::Logic(false, Box::new(left), Box::new(right), pos);
        }
        self.leave(levels);
        if self.is_name("if") {
            return self.error(construct(
                "a conditional expression (x if c else y)",
                "use an if statement",
            ));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Expr, Fail> {
        let mut left = self.not_expr()?;
        let mut levels = 0;
        while self.is_name("and") {
            let pos = self.here();
            self.bump();
            self.enter()?;
            levels += 1;
            let right = self.not_expr()?;
            left = Expr::Logic(true, Box::new(left), Box::new(right), pos);
        }
        self.leave(levels);
        Ok(left)
    }

    fn not_expr(&mut self) -> Result<Expr, Fail> {
        // `not not x` read as a loop, then wrapped from the inside out.
        let mut nots = Vec::new();
        while self.is_name("not") {
            nots.push(self.here());
            self.bump();
            self.enter()?;
        }
        let mut e = self.comparison()?;
        self.leave(nots.len() as u32);
        while let Some(pos) = nots.pop() {
            e = Expr::Not(Box::new(e), pos);
        }
        Ok(e)
    }

    fn comparison(&mut self) -> Result<Expr, Fail> {
        let left = self.sum()?;
        let op = match self.peek() {
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Le,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Ge,
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Ne,
            Tok::Name(w) if w == "is" => match self.toks.get(self.pos + 1).map(|t| &t.kind) {
                Some(Tok::Name(n)) if n == "not" => BinOp::IsNot,
                _ => BinOp::Is,
            },
            Tok::Name(w) if w == "in" => BinOp::In,
            Tok::Name(w)
                if w == "not"
                    && matches!(self.toks.get(self.pos + 1).map(|t| &t.kind), Some(Tok::Name(n)) if n == "in") =>
            {
                BinOp::NotIn
            }
            _ => return Ok(left),
        };
        let pos = self.here();
        self.bump();
        if matches!(op, BinOp::IsNot | BinOp::NotIn) {
            self.bump();
        }
        let right = self.sum()?;
        if matches!(self.peek(), Tok::Op("<" | "<=" | ">" | ">=" | "==" | "!=")) {
            return self.error(construct(
                "a chained comparison (a < b < c)",
                "compare two at a time, joined by 'and'",
            ));
        }
        Ok(Expr::Binary(op, Box::new(left), Box::new(right), pos))
    }

    fn sum(&mut self) -> Result<Expr, Fail> {
        let mut left = self.term()?;
        let mut levels = 0;
        loop {
            let op = match self.peek() {
                Tok::Op("+") => BinOp::Add,
                Tok::Op("-") => BinOp::Sub,
                _ => break,
            };
            let pos = self.here();
            self.bump();
            self.enter()?;
            levels += 1;
            let right = self.term()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right), pos);
        }
        self.leave(levels);
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, Fail> {
        let mut left = self.unary()?;
        let mut levels = 0;
        loop {
            match self.peek() {
                Tok::Op("*") => {
                    let pos = self.here();
                    self.bump();
                    self.enter()?;
                    levels += 1;
                    let right = self.unary()?;
                    left = Expr::Binary(BinOp::Mul, Box::new(left), Box::new(right), pos);
                }
                Tok::Op(op @ ("/" | "//" | "%")) => {
                    let op = match *op {
                        "/" => BinOp::Div,
                        "//" => BinOp::FloorDiv,
                        _ => BinOp::Mod,
                    };
                    let pos = self.here();
                    self.bump();
                    self.enter()?;
                    levels += 1;
                    let right = self.unary()?;
                    left = Expr::Binary(op, Box::new(left), Box::new(right), pos);
                }
                Tok::Op(op @ ("**" | "|" | "&" | "^" | "<<" | ">>" | "@" | ":=")) => {
                    return Err(self.not_a_value(&format!("the operator '{op}'")));
                }
                _ => break,
            }
        }
        self.leave(levels);
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, Fail> {
        // A run of signs read as a loop, then wrapped from the inside out (`+` changes nothing).
        let mut minus = Vec::new();
        let mut levels = 0;
        loop {
            let pos = self.here();
            if self.eat_op("-") {
                minus.push(pos);
            } else if self.is_op("~") {
                return Err(self.not_a_value("the operator '~'"));
            } else if !self.eat_op("+") {
                break;
            }
            self.enter()?;
            levels += 1;
        }
        let pos = self.here();
        let mut e = if self.is_name("await") {
            self.bump();
            Expr::Await(Box::new(self.primary()?), pos)
        } else {
            self.primary()?
        };
        self.leave(levels);
        while let Some(pos) = minus.pop() {
            e = Expr::Neg(Box::new(e), pos);
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, Fail> {
        let mut e = self.atom()?;
        let mut levels = 0;
        loop {
            if self.is_op(".") || self.is_op("(") || self.is_op("[") {
                self.enter()?;
                levels += 1;
            }
            if self.eat_op(".") {
                let (name, pos) = self.expect_name()?;
                e = Expr::Attr(Box::new(e), name, pos);
            } else if self.is_op("(") {
                let pos = self.here();
                self.bump();
                let (args, kwargs) = self.arguments()?;
                e = Expr::Call {
                    func: Box::new(e),
                    args,
                    kwargs,
                    pos,
                };
            } else if self.is_op("[") {
                let pos = self.here();
                self.bump();
                if self.is_op(":") {
                    return Err(self.not_a_value("slicing (x[a:b])"));
                }
                let key = self.expr()?;
                if self.is_op(":") || self.is_op(",") {
                    return Err(self.not_a_value("slicing (x[a:b])"));
                }
                self.expect_op("]")?;
                e = Expr::Index(Box::new(e), Box::new(key), pos);
            } else {
                self.leave(levels);
                return Ok(e);
            }
        }
    }

    fn arguments(&mut self) -> Result<(Vec<Expr>, Vec<Kwarg>), Fail> {
        let (mut args, mut kwargs) = (Vec::new(), Vec::new());
        while !self.eat_op(")") {
            let pos = self.here();
            let keyword = match (self.peek(), self.toks.get(self.pos + 1).map(|t| &t.kind)) {
                (Tok::Name(n), Some(Tok::Op("="))) => Some(n.clone()),
                _ => None,
            };
            if let Some(name) = keyword {
                self.bump();
                self.bump();
                kwargs.push((name, self.expr()?, pos));
            } else if !kwargs.is_empty() {
                return self.error("positional argument follows keyword argument");
            } else {
                args.push(self.expr()?);
            }
            if !self.eat_op(",") {
                self.expect_op(")")?;
                break;
            }
        }
        Ok((args, kwargs))
    }

    fn atom(&mut self) -> Result<Expr, Fail> {
        let pos = self.here();
        let e = match self.peek().clone() {
            Tok::Int(i) => Expr::Int(i, pos),
            Tok::Float(x) => Expr::Float(x, pos),
            Tok::Str(_) => return self.strings(pos),
            Tok::Name(n) => match n.as_str() {
                "True" => Expr::Bool(true, pos),
                "False" => Expr::Bool(false, pos),
                "None" => Expr::None(pos),
                "lambda" | "yield" => return Err(self.not_a_value(&format!("'{n}'"))),
                p if unsupported::is_string_prefix(p) && self.string_follows() => {
                    return self.prefixed(pos);
                }
                w if is_keyword(w) => return self.unexpected("an expression"),
                _ => Expr::Name(n, pos),
            },
            Tok::Op("(") => {
                self.bump();
                self.enter()?;
                let e = self.expr()?;
                self.leave(1);
                if self.is_op(",") {
                    return Err(self.not_a_value("a tuple"));
                }
                self.expect_op(")")?;
                return Ok(e);
            }
            Tok::Op("[") => {
                self.bump();
                self.enter()?;
                let mut items = Vec::new();
                while !self.eat_op("]") {
                    items.push(self.expr()?);
                    self.no_comprehension()?;
                    if !self.eat_op(",") {
                        self.expect_op("]")?;
                        break;
                    }
                }
                self.leave(1);
                return Ok(Expr::List(items, pos));
            }
            Tok::Op("{") => {
                self.bump();
                self.enter()?;
                let dict = self.dict(pos);
                self.leave(1);
                return dict;
            }
            Tok::Op("...") => return Err(self.not_a_value("'...' (Ellipsis)")),
            Tok::Op("*" | "**") => return Err(self.not_a_value("unpacking with '*' or '**'")),
            _ => return self.unexpected("an expression"),
        };
        self.bump();
        Ok(e)
    }

    /// Whether a string starts right after the current name, with no space: `f"..."`.
    fn string_follows(&self) -> bool {
        let (Some(name), Some(next)) = (self.toks.get(self.pos), self.toks.get(self.pos + 1))
        else {
            return false;
        };
        let Tok::Name(n) = &name.kind else {
            return false;
        };
        matches!(next.kind, Tok::Str(_))
            && next.line == name.line
            && next.col == name.col + n.chars().count() as u32
    }
}

impl Parser {
    /// After `{`: a dict display up to its `}`.
    fn dict(&mut self, pos: Pos) -> Result<Expr, Fail> {
        let mut pairs = Vec::new();
        while !self.eat_op("}") {
            let key = self.expr()?;
            if !self.is_op(":") {
                return Err(self.not_a_value("a set"));
            }
            self.bump();
            let value = self.expr()?;
            self.no_comprehension()?;
            pairs.push((key, value));
            if !self.eat_op(",") {
                self.expect_op("}")?;
                break;
            }
        }
        Ok(Expr::Dict(pairs, pos))
    }

    fn no_comprehension(&self) -> Result<(), Fail> {
        if self.is_name("for") || self.is_name("async") {
            return Err(self.not_a_value("a comprehension"));
        }
        Ok(())
    }

    /// A string with a prefix, at its prefix: `u` and `r` strings are strings, `f` strings are
    /// read piece by piece, bytes are owned up to.
    /// A string and the plain strings written right after it, which Python joins into one
    /// (`"closed " "today"`, across lines inside brackets too: a query is often written so).
    fn strings(&mut self, pos: Pos) -> Result<Expr, Fail> {
        let mut text = String::new();
        while let Tok::Str(s) = self.peek() {
            text.push_str(&unescape(s));
            self.bump();
        }
        Ok(Expr::Str(text, pos))
    }

    fn prefixed(&mut self, pos: Pos) -> Result<Expr, Fail> {
        let Tok::Name(prefix) = self.take() else {
            return self.unexpected("a string");
        };
        let at = self.here();
        let Tok::Str(raw) = self.take() else {
            return self.unexpected("a string");
        };
        let prefix = prefix.to_ascii_lowercase();
        if text::has_byte(&prefix, b'b') {
            return Err(boxed(pos.line, pos.col, unsupported::bytes_literal()));
        }
        let raw_string = text::has_byte(&prefix, b'r');
        if !text::has_byte(&prefix, b'f') {
            return Ok(Expr::Str(
                if raw_string { raw } else { unescape(&raw) },
                pos,
            ));
        }
        // The text starts after the quote (a triple-quoted f-string's pieces are placed as if
        // its quote were one character).
        let start = Pos {
            line: at.line,
            col: at.col + 1,
        };
        let mut pieces = super::fstring::pieces(&raw, start, self)?;
        if !raw_string {
            for p in &mut pieces {
                if let Expr::Str(text, _) = p {
                    *text = unescape(text);
                }
            }
        }
        Ok(Expr::FStr(pieces, pos))
    }

    /// The expression inside an f-string's braces, `text` starting at `start`.
    pub(super) fn inner(&self, text: &str, start: Pos) -> Result<Expr, Fail> {
        let trimmed = text.trim_start();
        let col = start.col + (text.len() - trimmed.len()) as u32;
        let place = |line: u32, c: u32| {
            if line == 1 {
                (start.line, col + c - 1)
            } else {
                (start.line + line - 1, c)
            }
        };
        let (mut toks, error) = tokens_until_error(trimmed);
        if let Some(e) = error {
            let (line, column) = place(e.line, e.column);
            return Err(boxed(line, column, e.message));
        }
        for t in &mut toks {
            (t.line, t.col) = place(t.line, t.col);
        }
        let mut sub = Parser {
            toks,
            pos: 0,
            depth: self.depth,
            truncated: false,
        };
        sub.enter()?;
        let e = sub.expr()?;
        match sub.peek() {
            Tok::Newline | Tok::Eof => Ok(e),
            _ => sub.unexpected("'}'"),
        }
    }
}
