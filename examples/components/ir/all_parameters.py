"""A container component with an input of every parameter type, defaults, an optional input,
an output parameter, an output artifact, IfPresentPlaceholder and ConcatPlaceholder."""
from typing import Optional

from kfp import compiler, dsl

CODE = """
import json, os, sys
name, rows, scale, header, columns, options, out, count = sys.argv[1:9]
extra = sys.argv[9:]
for f in (out, count):
    os.makedirs(os.path.dirname(f), exist_ok=True)
with open(out, "w") as f:
    if header == "true":
        f.write(",".join(json.loads(columns)) + "\\n")
    for i in range(int(rows)):
        f.write(f"{name}{i},{i * float(scale)}\\n")
open(count, "w").write(rows)
print(options, extra)
"""


@dsl.container_component
def make_table(
    name: str,
    table: dsl.Output[dsl.Dataset],
    count: dsl.OutputPath(int),
    rows: int = 10,
    scale: float = 1.5,
    header: bool = True,
    columns: list = ["name", "value"],
    options: dict = {"sep": ","},
    note: Optional[str] = None,
):
    """Writes a CSV table of `rows` rows."""
    return dsl.ContainerSpec(
        image="python:3.12-alpine",
        command=["python3", "-c", CODE],
        args=[
            name,
            rows,
            scale,
            header,
            columns,
            options,
            table.path,
            count,
            dsl.IfPresentPlaceholder(input_name="note", then=["--note", note], else_=["--no-note"]),
            dsl.ConcatPlaceholder(["--label=", name, "-", rows]),
            f"--scale={scale}",
        ],
    )


if __name__ == "__main__":
    compiler.Compiler().compile(make_table, "all_parameters.yaml")
