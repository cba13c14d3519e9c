"""kfp 2.17.3 compiling single components to IR (`python3 components.py`), as a kfp 2.x user shares
a component: component_container.yaml (a container component with optional inputs, an IfPresent
placeholder and artifact outputs) and component_python.yaml (a Python component with a NamedTuple
return, an input artifact and metrics output). The IR structs must read both.
"""
from typing import NamedTuple

from kfp import compiler, dsl


@dsl.container_component
def train(data: dsl.Input[dsl.Dataset], model: dsl.Output[dsl.Model], epochs: int = 3, tag: str = None,
          rate: float = 0.1, verbose: bool = False, opts: dict = {'a': 1}, layers: list = [1, 2]):
    return dsl.ContainerSpec(
        image='alpine:3.18',
        command=['train'],
        args=['--data', data.path, '--model', model.path, '--epochs', epochs,
              dsl.IfPresentPlaceholder(input_name='tag', then=['--tag', tag]), '--rate', rate])


@dsl.component(base_image='python:3.11-slim')
def evaluate(model: dsl.Input[dsl.Model], metrics: dsl.Output[dsl.Metrics]) -> NamedTuple('Out', [('score', float), ('ok', bool)]):
    """Scores the model."""
    metrics.log_metric('score', 0.5)
    Out = NamedTuple('Out', [('score', float), ('ok', bool)])
    return Out(0.5, True)


if __name__ == '__main__':
    compiler.Compiler().compile(train, 'component_container.yaml')
    compiler.Compiler().compile(evaluate, 'component_python.yaml')
