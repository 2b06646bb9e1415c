"""One view body for one method: method tests become constants, and the code no request of it reaches goes.

``BodySpecialisation`` walks the statements of a view body; the expressions inside
them go through ``ExpressionSpecialiser``. Each statement yields an ``Out``: the
statements that take its place, the comment lines left after them, and whether
control may go on to the next statement.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import libcst as cst

from flaskmod.codemods.core.flask import FLASK_ABORT_FUNCTIONS, FlaskRoutes
from flaskmod.codemods.core.syntax import child_blocks
from flaskmod.codemods.split_get_post.expressions import ExpressionSpecialiser, MethodDependent, pure


@dataclass
class Out:
    """Statements produced for one block, the comments left after them, and whether control falls through."""

    statements: list[cst.BaseStatement]
    trailing: list[cst.EmptyLine]
    falls_through: bool


class BodySpecialisation:
    """One view body for one method: method tests become constants, dead code goes."""

    def __init__(
        self,
        routes: FlaskRoutes,
        bool_context: set[int],
        method: str,
        tests: Mapping[int, MethodDependent],
        reads: set[int],
        keep_parens: bool,
    ) -> None:
        self.routes = routes
        self.transformer = ExpressionSpecialiser(method, tests, bool_context, keep_parens)
        self.transformer.reads = reads
        self.kept_dead: set[int] = set()  # statements no request reached before the split, kept in this view

    def expression(self, node: cst.CSTNode) -> cst.CSTNode:
        return node.visit(self.transformer)

    def function_body(self, body: cst.BaseSuite) -> cst.BaseSuite:
        if isinstance(body, cst.SimpleStatementSuite):
            new = self.expression(body)
            assert isinstance(new, cst.SimpleStatementSuite)
            return new
        assert isinstance(body, cst.IndentedBlock)
        block, _ = self.nested(body)
        return block

    # -- blocks ----------------------------------------------------------------

    def block(self, statements: Sequence[cst.BaseStatement]) -> Out:
        result: list[cst.BaseStatement] = []
        pending: list[cst.EmptyLine] = []
        dead = False  # past a statement that ended the block before the split
        for statement in statements:
            out = self.statement(statement)
            if dead and out.statements:
                self.kept_dead.add(id(statement))
            if out.statements:
                first = out.statements[0]
                out.statements[0] = first.with_changes(leading_lines=_collapsed([*pending, *first.leading_lines]))
                result += out.statements
                pending = list(out.trailing)
            else:
                pending += out.trailing
            if dead:
                continue
            if self.ends(statement):
                # The rest was unreachable before the split too: it stays, specialised (another codemod may
                # have left the module alone because of it, and would not the next time).
                dead = True
            elif not out.falls_through:
                # The rest of the block is unreachable for this method: it goes, with its comments.
                return Out(result, pending, False)
        return Out(result, pending, not dead)

    def nested(self, block: cst.BaseSuite) -> tuple[cst.BaseSuite, bool]:
        """The block, specialised in place (an empty one gets ``pass``)."""
        if isinstance(block, cst.SimpleStatementSuite):
            new = self.expression(block)
            assert isinstance(new, cst.SimpleStatementSuite)
            return new, not any(self.terminates(s) for s in block.body)
        assert isinstance(block, cst.IndentedBlock)
        out = self.block(block.body)
        statements = out.statements or [cst.SimpleStatementLine(body=[cst.Pass()])]
        return block.with_changes(body=statements, footer=[*out.trailing, *block.footer]), out.falls_through

    def inlined(self, block: cst.BaseSuite) -> Out:
        """The block's statements, to take the place of the compound statement that held them."""
        if isinstance(block, cst.SimpleStatementSuite):
            small = [_cast_small(self.expression(s)) for s in block.body]
            line = cst.SimpleStatementLine(body=small, trailing_whitespace=block.trailing_whitespace)
            return Out([line], [], not any(self.terminates(s) for s in block.body))
        assert isinstance(block, cst.IndentedBlock)
        out = self.block(block.body)
        out.trailing = [*out.trailing, *block.footer]
        if block.header.comment is not None:
            _prepend(out, [cst.EmptyLine(comment=block.header.comment)])
        return out

    # -- statements --------------------------------------------------------------

    def statement(self, node: cst.BaseStatement) -> Out:
        if isinstance(node, cst.If):
            return self.if_statement(node)
        if isinstance(node, cst.SimpleStatementLine):
            new = self.expression(node)
            assert isinstance(new, cst.SimpleStatementLine)
            return Out([new], [], not any(self.terminates(s) for s in node.body))
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return Out([node], [], True)  # no method test inside (checked before)
        if isinstance(node, cst.While):
            return self.while_statement(node)
        if isinstance(node, cst.For):
            return self.for_statement(node)
        if isinstance(node, cst.With):
            return self.with_statement(node)
        if isinstance(node, cst.Try):
            return self.try_statement(node)
        new = self.expression(node)  # match statements and the like: constants only, no pruning
        assert isinstance(new, cst.BaseStatement)
        return Out([new], [], True)

    def while_statement(self, node: cst.While) -> Out:
        test = self.expression(node.test)
        assert isinstance(test, cst.BaseExpression)
        if self.transformer.value_of(test) is False:
            if node.orelse is None:
                return Out([], [], True)
            out = self.inlined(node.orelse.body)
            _prepend(out, _blank(node.leading_lines))
            return out
        body, _ = self.nested(node.body)
        orelse = self.else_clause(node.orelse)
        return Out([node.with_changes(test=test, body=body, orelse=orelse)], [], True)

    def for_statement(self, node: cst.For) -> Out:
        body, _ = self.nested(node.body)
        new_for = node.with_changes(
            target=self.expression(node.target),
            iter=self.expression(node.iter),
            body=body,
            orelse=self.else_clause(node.orelse),
        )
        return Out([new_for], [], True)

    def with_statement(self, node: cst.With) -> Out:
        # A context manager may swallow the exception, so a `with` always may fall through.
        body, _ = self.nested(node.body)
        items = [_cast_with_item(self.expression(item)) for item in node.items]
        return Out([node.with_changes(items=items, body=body)], [], True)

    def try_statement(self, node: cst.Try) -> Out:
        body, _ = self.nested(node.body)
        if _is_pass(body) and not _is_pass(node.body):
            # Nothing left to raise in the body: the handlers are dead, `else` and `finally` run.
            out = Out([], [], True)
            for clause in (node.orelse, node.finalbody):
                if clause is not None and out.falls_through:
                    part = self.inlined(clause.body)
                    out = Out([*out.statements, *part.statements], [*out.trailing, *part.trailing], part.falls_through)
            _prepend(out, _blank(node.leading_lines))
            return out
        handlers = [
            h.with_changes(type=None if h.type is None else self.expression(h.type), body=self.nested(h.body)[0])
            for h in node.handlers
        ]
        finalbody = None
        if node.finalbody is not None:
            finalbody = node.finalbody.with_changes(body=self.nested(node.finalbody.body)[0])
        new_try = node.with_changes(
            body=body, handlers=handlers, orelse=self.else_clause(node.orelse), finalbody=finalbody
        )
        return Out([new_try], [], True)

    def else_clause(self, node: cst.Else | None) -> cst.Else | None:
        if node is None:
            return None
        return node.with_changes(body=self.nested(node.body)[0])

    def if_statement(self, node: cst.If) -> Out:
        test = self.expression(node.test)
        assert isinstance(test, cst.BaseExpression)
        value = self.transformer.value_of(test)
        if value is True:
            # The comments above an `if` belong to its first branch.
            out = self.inlined(node.body)
            _prepend(out, list(node.leading_lines))
            return out
        if value is False:
            blank = _blank(node.leading_lines)
            if node.orelse is None:
                return Out([], [], True)
            if isinstance(node.orelse, cst.Else):
                out = self.inlined(node.orelse.body)
                _prepend(out, [*blank, *node.orelse.leading_lines])
                return out
            out = self.if_statement(node.orelse)
            _prepend_blank(out, blank)
            return out
        body, body_falls = self.nested(node.body)
        orelse, orelse_falls = self.orelse(node.orelse)
        if orelse is None and _is_pass(body) and pure(test):
            return Out([], [], True)  # `if x: pass` left by a dropped branch: nothing to run
        return Out([node.with_changes(test=test, body=body, orelse=orelse)], [], body_falls or orelse_falls)

    def orelse(self, node: cst.If | cst.Else | None) -> tuple[cst.If | cst.Else | None, bool]:
        if node is None:
            return None, True
        if isinstance(node, cst.Else):
            body, falls = self.nested(node.body)
            return node.with_changes(body=body), falls
        test = self.expression(node.test)
        assert isinstance(test, cst.BaseExpression)
        value = self.transformer.value_of(test)
        if value is True:
            body, falls = self.nested(node.body)
            as_else = cst.Else(
                body=body, leading_lines=node.leading_lines, whitespace_before_colon=node.whitespace_after_test
            )
            return as_else, falls
        if value is False:
            return self.orelse(node.orelse)
        body, body_falls = self.nested(node.body)
        orelse, orelse_falls = self.orelse(node.orelse)
        return node.with_changes(test=test, body=body, orelse=orelse), body_falls or orelse_falls

    def ends(self, node: cst.BaseStatement | cst.Else) -> bool:
        """Control never goes on to the next statement, whatever the method (read on the original node)."""
        if isinstance(node, cst.SimpleStatementLine):
            return any(self.terminates(s) for s in node.body)
        if isinstance(node, (cst.If, cst.Else)):
            block = node.body
            if isinstance(block, cst.SimpleStatementSuite):
                body_ends = any(self.terminates(s) for s in block.body)
            else:
                body_ends = any(self.ends(s) for s in block.body)
            orelse = node.orelse if isinstance(node, cst.If) else None
            return body_ends and (isinstance(node, cst.Else) or (orelse is not None and self.ends(orelse)))
        return False  # loops, `with` and `try` may always fall through (as `statement` assumes)

    def unreachable(self, statements: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseStatement]:
        """The statements no request reached before the split, in the blocks `statement` specialises."""
        ended = False
        for statement in statements:
            if ended:
                yield statement
            if isinstance(statement, (cst.If, cst.While, cst.For, cst.With, cst.Try)):
                for block in child_blocks(statement):
                    yield from self.unreachable(block_statements(block))
            ended = ended or self.ends(statement)

    def terminates(self, node: cst.BaseSmallStatement) -> bool:
        """A ``return``, ``raise``, ``continue``, ``break`` or call to ``abort`` (read on the original node)."""
        if isinstance(node, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
            return True
        if isinstance(node, cst.Expr) and isinstance(node.value, cst.Call):
            return bool(self.routes.qualified(node.value.func) & FLASK_ABORT_FUNCTIONS)
        return False


def block_statements(block: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    """The statements of a block that `child_blocks` returns (an `elif` is a statement of its own)."""
    if isinstance(block, cst.If):
        return [block]
    if isinstance(block, (cst.Else, cst.Finally, cst.ExceptHandler)):
        block = block.body
    return block.body if isinstance(block, cst.IndentedBlock) else []


def _cast_small(node: cst.CSTNode) -> cst.BaseSmallStatement:
    assert isinstance(node, cst.BaseSmallStatement)
    return node


def _cast_with_item(node: cst.CSTNode) -> cst.WithItem:
    assert isinstance(node, cst.WithItem)
    return node


def _prepend(out: Out, lines: Sequence[cst.EmptyLine]) -> None:
    if not lines:
        return
    if out.statements:
        first = out.statements[0]
        out.statements[0] = first.with_changes(leading_lines=_collapsed([*lines, *first.leading_lines]))
    else:
        out.trailing = _collapsed([*lines, *out.trailing])


def _collapsed(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """``lines`` with no two blank lines in a row: a flattened `if` and its `elif` each brought one, and
    black and ruff's formatter allow one blank line inside a function."""
    kept: list[cst.EmptyLine] = []
    for line in lines:
        if line.comment is None and kept and kept[-1].comment is None:
            continue
        kept.append(line)
    return kept


def _prepend_blank(out: Out, lines: Sequence[cst.EmptyLine]) -> None:
    # Blank lines only, and only in front of a statement (never as trailing lines).
    if lines and out.statements:
        _prepend(out, lines)


def _blank(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    return [line for line in lines if line.comment is None]


def _is_pass(block: cst.BaseSuite) -> bool:
    body = block.body
    if len(body) != 1:
        return False
    only = body[0]
    small = only.body if isinstance(only, cst.SimpleStatementLine) else [only]
    if isinstance(block, cst.IndentedBlock) and (block.footer or only.leading_lines):
        return False
    return len(small) == 1 and isinstance(small[0], cst.Pass)
