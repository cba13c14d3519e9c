"""A container component passing an artifact's URI (`.uri`), which kfp-rs's model cannot express:
refused."""
from kfp import compiler, dsl


@dsl.container_component
def upload(data: dsl.Input[dsl.Dataset]):
    return dsl.ContainerSpec(image="alpine:3.20", command=["echo"], args=[data.uri])


if __name__ == "__main__":
    compiler.Compiler().compile(upload, "artifact_uri.yaml")
