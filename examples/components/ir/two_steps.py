"""A pipeline of two tasks, not one component: refused."""
from kfp import compiler, dsl


@dsl.container_component
def echo(msg: str):
    return dsl.ContainerSpec(image="alpine:3.20", command=["echo"], args=[msg])


@dsl.pipeline(name="two-steps")
def two_steps(msg: str = "hi"):
    first = echo(msg=msg)
    echo(msg=msg).after(first)


if __name__ == "__main__":
    compiler.Compiler().compile(two_steps, "two_steps.yaml")
