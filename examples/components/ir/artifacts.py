"""A container component with input artifacts (Dataset, Model, an optional Artifact) and output
artifacts and a parameter."""
from typing import Optional

from kfp import compiler, dsl


@dsl.container_component
def evaluate(
    table: dsl.Input[dsl.Dataset],
    model: dsl.Input[dsl.Model],
    report: dsl.Output[dsl.Markdown],
    best: dsl.Output[dsl.Model],
    metrics: dsl.Output[dsl.Metrics],
    other: dsl.Output[dsl.Artifact],
    score: dsl.OutputPath(float),
    baseline: Optional[dsl.Input[dsl.Artifact]] = None,
    threshold: float = 0.5,
):
    """Scores a model on a table."""
    return dsl.ContainerSpec(
        image="alpine:3.20",
        command=["sh", "-c", 'mkdir -p "$(dirname "$2")" && wc -l < "$0" > "$2" && cp "$1" "$3"'],
        args=[
            table.path,
            model.path,
            report.path,
            best.path,
            metrics.path,
            other.path,
            score,
            threshold,
            dsl.IfPresentPlaceholder(input_name="baseline", then=["--baseline", baseline.path]),
        ],
    )


if __name__ == "__main__":
    compiler.Compiler().compile(evaluate, "artifacts.yaml")
