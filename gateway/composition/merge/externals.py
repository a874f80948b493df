"""External declarations of a field must agree with the definition that resolves it."""

from __future__ import annotations

from gateway.composition.errors import ErrorCode
from gateway.composition.merge.context import MergeContext, Sources, subgraph_list
from gateway.composition.merge.references import is_strict_subtype
from gateway.composition.model import Field
from gateway.composition.values import print_value, same_value

__all__ = ["validate_external_fields"]


def validate_external_fields(
    ctx: MergeContext, sources: Sources[Field], dest: Field, all_equal: bool
) -> None:
    """An @external declaration must match the merged field: type, arguments, defaults."""
    invalid_type = False
    missing_args: list[str] = []
    arg_types: list[str] = []
    arg_defaults: list[str] = []
    for index, source in sources.items():
        if source is None or not ctx.metadata(index).is_external(source):
            continue
        if not (
            dest.type == source.type
            or (not all_equal and is_strict_subtype(ctx, dest.type, source.type))
        ):
            invalid_type = True
        for name, argument in dest.args.items():
            own = source.args.get(name)
            if own is None:
                missing_args.append(name)
                continue
            if argument.type != own.type and not is_strict_subtype(ctx, own.type, argument.type):
                arg_types.append(name)
            if not same_value(argument.default, own.default):
                arg_defaults.append(name)
    externals: Sources[Field] = {
        i: s for i, s in sources.items() if s is not None and ctx.metadata(i).is_external(s)
    }
    if invalid_type:
        ctx.mismatch_error(
            ErrorCode.EXTERNAL_TYPE_MISMATCH,
            f'Type of field "{dest.coordinate}" is incompatible across subgraphs (where marked'
            " @external): it has ",
            sources,
            lambda f: f'type "{f.type}"',
            f'type "{dest.type}"',
        )
    for name in dict.fromkeys(missing_args):
        lacking = [ctx.names[i] for i, s in externals.items() if s and name not in s.args]
        ctx.error(
            ErrorCode.EXTERNAL_ARGUMENT_MISSING,
            f'Field "{dest.coordinate}" is missing argument "{dest.coordinate}({name}:)" in some'
            f" subgraphs where it is marked @external: it is missing in {subgraph_list(lacking)}.",
            [(i, s.node) for i, s in externals.items() if s is not None],
        )
    for name in dict.fromkeys(arg_types):
        ctx.mismatch_error(
            ErrorCode.EXTERNAL_ARGUMENT_TYPE_MISMATCH,
            f'Type of argument "{dest.coordinate}({name}:)" is incompatible across subgraphs'
            f' (where "{dest.coordinate}" is marked @external): it has ',
            {i: (s.args.get(name) if s else None) for i, s in sources.items()},
            lambda a: f'type "{a.type}"',
            f'type "{dest.args[name].type}"',
        )
    for name in dict.fromkeys(arg_defaults):
        ctx.mismatch_error(
            ErrorCode.EXTERNAL_ARGUMENT_DEFAULT_MISMATCH,
            f'Argument "{dest.coordinate}({name}:)" has incompatible defaults across subgraphs'
            f' (where "{dest.coordinate}" is marked @external): it has ',
            {i: (s.args.get(name) if s else None) for i, s in sources.items()},
            lambda a: (
                f"default value {print_value(a.default)}"
                if a.default is not None
                else "no default value"
            ),
            None,
        )
