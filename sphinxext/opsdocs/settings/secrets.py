"""Secrets by name and by shape: the one rule of what a setting, a dict key or a text
keeps out of every output (:func:`looks_secret`, :func:`without_secret_shapes`,
:func:`without_secret_keys`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import overload

from opsdocs.code_text import expression, literal
from opsdocs.reading import source_lines

#: Names that look secret: ``SECRET``, ``PRIVATE`` or ``PASSPHRASE`` anywhere
#: (``SECRET_KEY``, ``JWT_PRIVATE_SIGNING_JWK``); ``PASSWORD``, ``PASSWD``, ``_PASS``,
#: ``TOKEN``, ``_KEY``, ``APIKEY``, ``_SALT``, ``CREDENTIALS`` or ``BASIC_AUTH`` at the end
#: (``DB_PASSWORD``, ``SMTP_PASS``, ``EDX_API_KEY``, ``FERNET_KEYS``, ``HASH_SALT``,
#: ``XQUEUE_INTERFACE['basic_auth']``, a user and password), where they name what the
#: setting holds, not what it is about (``PASSWORD_RESET_RATE``, ``CACHE_KEY_PREFIX``), and
#: not a message queue's routing key.
SECRET_NAME = re.compile(
    r"SECRET|PRIVATE|PASSPHRASE|(?:PASSWORD|PASSWD|_PASS|TOKEN|(?<!ROUTING)_KEY|(?:^|_)APIKEY"
    r"|_SALT|CREDENTIALS|BASIC_AUTH)S?(?:['\"]\])?$")
#: Names whose ``KEY`` is the name of something, not a secret: a cookie's, a parameter's,
#: a header's, a field's (``AFFILIATE_COOKIE_KEY = "affiliate_id"``); and OAuth2 client
#: ids, public by design (``*_OAUTH2_KEY``, python-social-auth's ``SOCIAL_AUTH_*_KEY``,
#: whose ``*_SECRET`` is the secret).
PUBLIC_NAME = re.compile(
    r"(?:COOKIE|PARAM|PARAMETER|HEADER|FIELD|QUERY|CACHE|LOOKUP|SORT|PARTITION)_KEYS?"
    r"(?:['\"]\])?$|OAUTH2?_KEY(?:['\"]\])?$|^SOCIAL_AUTH_\w*_KEY$")
#: Secret-looking names that a list of names may be the value of: the names of private
#: fields (``PROFILE_INFORMATION_REPORT_PRIVATE_FIELDS = ["year_of_birth"]``), of keys
#: (``DICT_UPDATE_KEYS = ("JWT_AUTH",)``).  A list of passwords, tokens or salts is secret
#: whatever its words.
NAMES_NAME = re.compile(r"PRIVATE|_KEYS?(?:['\"]\])?$")
#: A name whose value is a user and a password when it is a pair (``HTTP_AUTH = ("user",
#: "pw")``); a mapping of the same name is configuration (``JWT_AUTH = {...}``).
AUTH_NAME = re.compile(r"AUTH(?:['\"]\])?$")
#: A name as code and data name things (``year_of_birth``, ``JWT_AUTH``): words of letters
#: joined by ``_``, not the letters and digits of a key.
_WORDS = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)*")
#: Calls that look a value up by a key, and which argument is the key
#: (``_YAML_TOKENS.get('SEGMENT_KEY')``, ``os.getenv("X")``, ``env.str("X")``,
#: ``getattr(settings, "X", None)``): the key is no value.
_LOOKUP_METHODS = frozenset({"get", "getenv", "str", "int", "bool", "float", "list", "tuple",
                             "dict", "json", "url", "db", "db_url", "cache", "cache_url",
                             "email_url", "search_url", "path", "setdefault"})
_LOOKUP_FUNCTIONS = {"getenv": 0, "env": 0, "config": 0, "getattr": 1}


def looks_secret(name: str, value: str | ast.expr | None) -> bool:
    """The one rule for a value kept out of every output, by its name and its shape.

    Secret when a name ending in ``AUTH`` holds a pair with text (a user and a password);
    and when the name looks secret (:data:`SECRET_NAME`) and the code writes text (a
    secret may be in it: ``"x" + "y"``, ``config.get("db", "password", fallback="x")``),
    unless the name says the value names something (:data:`PUBLIC_NAME`) or the value is
    a list of names where the name allows one (:data:`NAMES_NAME`: ``["year_of_birth"]``,
    ``("JWT_AUTH",)``).  Numbers, booleans and a
    value only looked up by key (``ENV_TOKENS.get("SECRET_KEY")``) are no secrets.  What
    *value* holds inside (a URL's password) is :func:`without_secret_shapes`'.
    """
    upper = name.upper()
    auth = AUTH_NAME.search(upper) is not None
    if value is None or not (auth or SECRET_NAME.search(upper)):
        return False  # most names: nothing to parse
    tree = value if isinstance(value, ast.expr) else expression(value)
    if tree is not None and not writes_text(tree):
        return False
    if auth and tree is not None and _is_pair(tree):
        return True
    if PUBLIC_NAME.search(upper) or not SECRET_NAME.search(upper):
        return False
    return tree is None or not (NAMES_NAME.search(upper) and _names_only(tree))


def _names_only(tree: ast.expr) -> bool:
    """Whether *tree* is a list, tuple or set of names (field, cookie or setting names)."""
    return isinstance(tree, (ast.List, ast.Tuple, ast.Set)) and bool(tree.elts) and all(
        isinstance(item, ast.Constant) and isinstance(item.value, str) and
        len(item.value) <= 64 and _WORDS.fullmatch(item.value) is not None
        for item in tree.elts)


def _is_pair(tree: ast.expr) -> bool:
    return isinstance(tree, (ast.List, ast.Tuple)) and len(tree.elts) == 2


def writes_text(code: str | ast.expr) -> bool:
    """Whether *code* (source or parsed) holds a non-empty string anywhere but as a key
    (``os.environ["X"]``, ``{"X": ...}``, ``ENV_TOKENS.get("X")``, ``env("X")``): what a
    secret written in code is.  Code that does not parse does."""
    tree = expression(code) if isinstance(code, str) else code
    if tree is None:
        return True
    found = list(ast.walk(tree))
    keys = {id(node.slice) for node in found if isinstance(node, ast.Subscript)}
    keys.update(id(key) for node in found if isinstance(node, ast.Dict) for key in node.keys)
    keys.update(id(key) for node in found if isinstance(node, ast.Call)
                for key in _lookup_keys(node))
    return any(isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and
               node.value and id(node) not in keys for node in found)


def _lookup_keys(call: ast.Call) -> list[ast.expr]:
    """The argument of *call* that is a key to look up, when *call* is a lookup."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _LOOKUP_METHODS:
        index = 0
    elif isinstance(func, ast.Name) and func.id in _LOOKUP_FUNCTIONS:
        index = _LOOKUP_FUNCTIONS[func.id]
    else:
        return []
    return call.args[index:index + 1]


#: Secrets by their shape, wherever they are written, and what each becomes: a URL's
#: password (``redis://:pw@host``, ``postgres://u:pw@db/x``), a connection string's key
#: or password (Azure's ``AccountKey=``), a Slack webhook, a private key in PEM, Slack and
#: GitHub tokens.  Each keeps what is around the secret, and its line breaks.
SECRET_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<keep>\b[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s:/@'\"`<>]{0,200}:)"
                r"(?P<secret>[^\s@/'\"`<>]{1,500})(?=@)"), "..."),
    (re.compile(r"(?P<keep>(?i:(?:\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)"
                r"|(?<=;)\s{0,5}(?:Password|Pwd))=))(?P<secret>[^;'\"\s]{1,2000})"), "..."),
    (re.compile(r"(?P<keep>https://hooks\.slack\.com/)(?P<secret>[A-Za-z0-9/_-]{8,500})"), "..."),
    (re.compile(r"(?P<keep>-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----)(?P<secret>[\s\S]{1,20000}?)"
                r"(?=-----END [A-Z ]{0,40}PRIVATE KEY-----)"), "..."),
    (re.compile(r"(?P<keep>\bxox[abposr]-)(?P<secret>[A-Za-z0-9-]{8,200})"), "..."),
    (re.compile(r"(?P<keep>\b(?:gh[pousr]_|github_pat_))(?P<secret>[A-Za-z0-9_]{20,255})"), "..."),
)
#: What may hold one of :data:`SECRET_SHAPES` (cheap: most values hold none).
MAY_HAVE_SHAPE = re.compile(r"://|=|-----BEGIN|xox|gh[pousr]_|github_pat_")


def without_secret_shapes(text: str) -> str:
    """*text* (code, a value, a whole file) with each secret found by its shape
    (:data:`SECRET_SHAPES`) replaced by ``...``; line breaks inside one are kept, so lines
    keep their numbers."""
    if MAY_HAVE_SHAPE.search(text) is None:
        return text
    for pattern, shown in SECRET_SHAPES:
        text = pattern.sub(_replacement(shown), text)
    return text


def _replacement(shown: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match["keep"] + shown + "\n" * match["secret"].count("\n")


#: What stands for a secret value blanked out of text.
REDACTED = "..."
#: Text that may hold a secret-looking key (cheap: most values and files hold none); every
#: word of :data:`SECRET_NAME` and ``AUTH``, in any case.
MAY_HOLD_SECRET_KEYS = re.compile(
    r"(?i)secret|private|pass|token|key|credentials|auth|salt")


# A value is often shown thrice (value, effective value, its definition) and checked
# once more when its setting is judged: each is parsed once.
@lru_cache(maxsize=4096)
def without_secret_keys(code: str | None) -> str | None:
    """*code* (an expression or statement) with the value of each secret-looking key blanked
    out as ``...``: a dict's (``{"PASSWORD": "x"}``), a keyword's of ``dict(...)`` or
    ``.update(...)``, an item assignment's (``X["default"]["PASSWORD"] = "x"``); secrets by
    their shape too.  A value holding no text (``""``, ``None``, a number, code) is no
    secret and stays.  Code that does not parse keeps no line holding a secret-looking
    word."""
    if code is None:
        return code
    code = without_secret_shapes(code)
    if MAY_HOLD_SECRET_KEYS.search(code) is None:
        return code
    lines = source_lines(code)
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "".join(REDACTED + "\n" if MAY_HOLD_SECRET_KEYS.search(line) else line
                       for line in lines).rstrip("\n")
    spans = sorted({span for node in ast.walk(tree) for span in secret_key_values(node)})
    if not spans:
        return code
    for span in reversed(outermost(spans)):
        blank(lines, *span)
    text = "".join(lines)
    return text if code.endswith("\n") else text.rstrip("\n")


def item_without_secret_keys(key: str | None, value: str | None) -> str | None:
    """The *value* of an item assignment to *key* (``X[key] = value``; no *key*: any
    value), as shown: blanked whole under a secret-looking key (``X["PASSWORD"] = "x"``),
    else :func:`without_secret_keys`."""
    found = literal(key) if key is not None and value is not None else None
    if found is not None and value is not None and is_secret_key(found[0], value):
        return REDACTED
    return without_secret_keys(value)


#: An inline literal of reStructuredText (````{"PASSWORD": "x"}````).
_INLINE_LITERAL = re.compile(r"``(.+?)``")


@overload
def text_without_secret_keys(text: str) -> str: ...
@overload
def text_without_secret_keys(text: None) -> None: ...
def text_without_secret_keys(text: str | None) -> str | None:
    """A default written as text (a ``:default:`` field, a code-annotations ``*_default``)
    with :func:`without_secret_keys` applied where it is code: the whole text when it is a
    Python expression, else each inline literal that is one.  Prose stays as written."""
    if text is None:
        return text
    text = without_secret_shapes(text)
    if MAY_HOLD_SECRET_KEYS.search(text) is None:
        return text
    if expression(text) is not None:
        return without_secret_keys(text)
    return _INLINE_LITERAL.sub(
        lambda m: f"``{without_secret_keys(m[1])}``" if expression(m[1]) is not None
        else m[0], text)


def is_secret_key(key: object, value: str | ast.expr) -> bool:
    """Whether a dict key or keyword holds a secret (``PASSWORD``, ``secret_key``): the
    settings' rule, :func:`looks_secret`, for its *value*."""
    return isinstance(key, str) and looks_secret(key, value)


def secret_key_values(node: ast.AST) -> Iterator[tuple[int, int, int, int]]:
    """The extent of each value *node* gives a secret-looking key, when it holds text."""
    pairs: list[tuple[object, ast.expr]] = []
    if isinstance(node, ast.Dict):
        pairs = [(key.value, value) for key, value in zip(node.keys, node.values, strict=True)
                 if isinstance(key, ast.Constant)]
    elif isinstance(node, ast.Call):
        pairs = [(keyword.arg, keyword.value) for keyword in node.keywords]
    elif isinstance(node, ast.Assign):
        pairs = [(target.slice.value, node.value) for target in node.targets
                 if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant)]
    for key, value in pairs:
        if is_secret_key(key, value):
            yield extent(value)


def outermost(spans: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """*spans* (sorted) without those inside another."""
    result: list[tuple[int, int, int, int]] = []
    for span in spans:
        if result and span[2:] <= result[-1][2:]:
            continue
        result.append(span)
    return result


def extent(node: ast.expr) -> tuple[int, int, int, int]:
    """Where *node* is: line, column, end line, end column."""
    end_line = node.end_lineno if node.end_lineno is not None else node.lineno
    end_column = node.end_col_offset if node.end_col_offset is not None else node.col_offset
    return (node.lineno, node.col_offset, end_line, end_column)


def blank(lines: list[str], line: int, column: int, end_line: int, end_column: int,
          note: str = "") -> None:
    """Replace the text between two positions (ast's: 1-based lines, UTF-8 byte columns)
    by :data:`REDACTED`, keeping what follows on the last line and every line break; the
    line ends with *note*."""
    first = lines[line - 1].encode()[:column].decode()
    rest = lines[end_line - 1].encode()[end_column:].decode()
    kept = rest.rstrip("\r\n")
    newline = rest[len(kept):] or "\n"
    note = "" if note in kept else note  # two secrets on one line: one note
    lines[line - 1] = first + REDACTED + kept + note + newline
    for index in range(line, end_line):
        lines[index] = "\n"
