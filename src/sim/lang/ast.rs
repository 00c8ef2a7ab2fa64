//! The handler language's syntax tree: one handler, its statements and expressions, each with
//! the position errors point at. Plain data; the parser builds it, the checker reads it.

/// A position in the code, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// Arithmetic and comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    /// `/`, Python's true division: always a float.
    Div,
    /// `//`, floor division.
    FloorDiv,
    /// `%`, with the sign of the divisor, as Python's.
    Mod,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    /// `is`, with None, True or False on one side.
    Is,
    IsNot,
    /// `in` and `not in`, of a string in a string.
    In,
    NotIn,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Is => "is",
            BinOp::IsNot => "is not",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
        }
    }

    pub fn is_comparison(self) -> bool {
        !matches!(
            self,
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::FloorDiv | BinOp::Mod
        )
    }
}

/// A keyword argument: `name=value`, where `name` is.
pub(crate) type Kwarg = (String, Expr, Pos);

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Int(i64, Pos),
    Float(f64, Pos),
    Str(String, Pos),
    /// An f-string: its pieces in order, literal text as `Str`.
    FStr(Vec<Expr>, Pos),
    /// A list display, `[a, b]`.
    List(Vec<Expr>, Pos),
    /// A dict display, `{k: v}`.
    Dict(Vec<(Expr, Expr)>, Pos),
    Bool(bool, Pos),
    None(Pos),
    Name(String, Pos),
    /// `base.name`; the position is the attribute's.
    Attr(Box<Expr>, String, Pos),
    /// `base[key]`; the position is the bracket's.
    Index(Box<Expr>, Box<Expr>, Pos),
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        kwargs: Vec<Kwarg>,
        /// The opening parenthesis.
        pos: Pos,
    },
    Await(Box<Expr>, Pos),
    Neg(Box<Expr>, Pos),
    Not(Box<Expr>, Pos),
    Binary(BinOp, Box<Expr>, Box<Expr>, Pos),
    /// `and` (true) or `or` (false).
    Logic(bool, Box<Expr>, Box<Expr>, Pos),
}

impl Expr {
    /// Where the expression starts (for a call, where its function's name starts).
    pub fn pos(&self) -> Pos {
        match self {
            Expr::Int(_, p)
            | Expr::Float(_, p)
            | Expr::Str(_, p)
            | Expr::FStr(_, p)
            | Expr::List(_, p)
            | Expr::Dict(_, p)
            | Expr::Bool(_, p)
            | Expr::None(p)
            | Expr::Name(_, p)
            | Expr::Await(_, p)
            | Expr::Neg(_, p)
            | Expr::Not(_, p) => *p,
            Expr::Attr(base, ..) | Expr::Call { func: base, .. } | Expr::Index(base, ..) => {
                base.pos()
            }
            Expr::Binary(_, left, ..) | Expr::Logic(_, left, ..) => left.pos(),
        }
    }
}

/// A statement and where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Stmt {
    pub kind: StmtKind,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum StmtKind {
    Expr(Expr),
    /// `name = value`, or `name += value` (with the operator).
    Assign {
        name: String,
        op: Option<BinOp>,
        value: Expr,
    },
    If {
        branches: Vec<(Expr, Vec<Stmt>)>,
        orelse: Vec<Stmt>,
    },
    /// `for var in range(start, end):`.
    For {
        var: String,
        start: Option<Expr>,
        end: Expr,
        body: Vec<Stmt>,
    },
    Return(Option<Expr>),
    /// `while COND:` and its body.
    While {
        cond: Expr,
        body: Vec<Stmt>,
    },
    Break,
    Continue,
    /// `raise X(...)`: the exception, made where it is raised (`None`: a bare `raise`).
    Raise(Option<Expr>),
    /// `async with CONTEXT:` and its body.
    AsyncWith {
        context: Expr,
        body: Vec<Stmt>,
    },
    /// `try` with its `except` clauses, `else` and `finally` (each maybe empty).
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Except>,
        orelse: Vec<Stmt>,
        finally: Vec<Stmt>,
    },
    Pass,
}

/// The whole program: one handler function.
/// One `except` clause: the classes it catches (none: all) and the name it binds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Except {
    pub classes: Vec<(String, Pos)>,
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Handler {
    pub is_async: bool,
    pub name: String,
    pub param: String,
    pub body: Vec<Stmt>,
    /// The names the header imported (`asyncio`, `time`, `run_in_threadpool`).
    pub imports: Vec<String>,
    /// Module-level `NAME = value` lines above the handler, in order.
    pub constants: Vec<Stmt>,
    /// The route's `status_code=`: the status of a response that ends without an exception.
    pub success: u16,
    /// The `BackgroundTasks` parameter's name and place, if the handler takes one.
    pub background: Option<(String, Pos)>,
    /// The other functions of the code, which the handler may call.
    pub helpers: Vec<Helper>,
    /// The handler's `NAME = Depends(function)` parameters, in order.
    pub depends: Vec<Dependency>,
    /// The request model the code defines (`class Student(BaseModel):`), if it does.
    pub model: Option<Model>,
}

/// A Pydantic request model: its class's name and the fields it declares, which are what the
/// handler may read of the student.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Model {
    pub name: String,
    pub fields: Vec<String>,
    /// Where its base class is named.
    pub base: Pos,
}

/// A handler parameter that FastAPI fills by calling a function: `NAME = Depends(helper)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Dependency {
    pub name: String,
    pub helper: String,
    /// Where the function is named.
    pub pos: Pos,
}

/// A function of the code other than the handler.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Helper {
    pub is_async: bool,
    pub name: String,
    pub params: Vec<(String, Pos)>,
    pub body: Vec<Stmt>,
    pub pos: Pos,
}
