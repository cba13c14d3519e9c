"""The IR component examples/component_yaml.rs loads: summarizes a CSV dataset."""
from typing import Optional

from kfp import compiler, dsl


@dsl.container_component
def summarize(
    data: dsl.Input[dsl.Dataset],
    summary: dsl.Output[dsl.Markdown],
    lines: dsl.OutputPath(int),
    title: str = "Summary",
    limit: Optional[int] = None,
):
    """Writes a Markdown summary of a CSV and how many lines it has."""
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c"],
        args=[
            'mkdir -p "$(dirname "$2")" "$(dirname "$3")"\n'
            'n=$(wc -l < "$0")\n'
            'printf "# %s\\n\\n%s lines\\n" "$1" "$n" > "$2"\n'
            'echo "$n" > "$3"\n'
            'if [ "$4" = --limit ]; then head -n "$5" "$0"; fi\n',
            data.path,
            title,
            summary.path,
            lines,
            dsl.IfPresentPlaceholder(input_name="limit", then=["--limit", limit]),
        ],
    )


if __name__ == "__main__":
    compiler.Compiler().compile(summarize, "summarize.yaml")
