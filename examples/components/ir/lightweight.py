"""A lightweight Python component: refused (it reads the KFP launcher's executor input `{{$}}`)."""
from kfp import compiler, dsl


@dsl.component(base_image="python:3.12")
def add(a: int, b: int = 2) -> int:
    """Adds two numbers."""
    return a + b


if __name__ == "__main__":
    compiler.Compiler().compile(add, "lightweight.yaml")
