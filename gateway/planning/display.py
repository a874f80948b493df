"""A readable text form of a :class:`QueryPlan`, in the spirit of Apollo's plan printing."""

from __future__ import annotations

from gateway.planning.nodes import (
    Condition,
    EntityBatch,
    Fetch,
    Flatten,
    InputSelection,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)

__all__ = ["format_plan"]


def _input_text(selection: InputSelection) -> str:
    parts = ["__typename"] if selection.with_typename else []
    for field in selection.fields:
        text = (
            field.out_key
            if field.out_key == field.data_key
            else f"{field.out_key}<-{field.data_key}"
        )
        if field.selection is not None:
            text += " " + _input_text(field.selection)
        parts.append(text)
    for type_name, fields in selection.by_type:
        parts.append(f"... on {type_name} " + _input_text(InputSelection(fields)))
    return "{ " + " ".join(parts) + " }"


def _lines(node: PlanNode, indent: int) -> list[str]:
    pad = "  " * indent
    match node:
        case Fetch():
            lines = [f'{pad}Fetch(service: "{node.service}") {{']
            for entity_input in node.inputs:
                send = (
                    ""
                    if entity_input.send_type == entity_input.runtime_type
                    else f" as {entity_input.send_type}"
                )
                lines.append(
                    f"{pad}  {entity_input.runtime_type}{send} "
                    f"{_input_text(entity_input.selection)} =>"
                )
            lines.append(f"{pad}  {node.operation}")
            lines.append(f"{pad}}}")
            return lines
        case Flatten():
            return [
                f'{pad}Flatten(path: "{".".join(node.path)}") {{',
                *_lines(node.node, indent + 1),
                f"{pad}}}",
            ]
        case EntityBatch():
            lines = [f'{pad}EntityBatch(service: "{node.service}") {{']
            for part in node.parts:
                lines.extend(_lines(part, indent + 1))
            lines.append(f"{pad}}}")
            return lines
        case Sequence() | Parallel():
            name = "Sequence" if isinstance(node, Sequence) else "Parallel"
            lines = [f"{pad}{name} {{"]
            for child in node.nodes:
                lines.extend(_lines(child, indent + 1))
            lines.append(f"{pad}}}")
            return lines
        case Condition():
            lines = [f"{pad}Condition(if: ${node.variable}) {{"]
            if node.if_true is not None:
                lines += [f"{pad}  Then {{", *_lines(node.if_true, indent + 2), f"{pad}  }}"]
            if node.if_false is not None:
                lines += [f"{pad}  Else {{", *_lines(node.if_false, indent + 2), f"{pad}  }}"]
            lines.append(f"{pad}}}")
            return lines
    raise TypeError(f"not a plan node: {node!r}")


def format_plan(plan: QueryPlan) -> str:
    """The plan as indented text: ``QueryPlan { Sequence { Fetch(...) ... } }``."""
    if plan.node is None:
        return "QueryPlan {}"
    return "\n".join(["QueryPlan {", *_lines(plan.node, 1), "}"])
