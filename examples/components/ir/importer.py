"""A pipeline whose one task imports an artifact (an importer executor, not a container): refused."""
from kfp import compiler, dsl


@dsl.pipeline(name="import-data")
def import_data(uri: str = "gs://bucket/data.csv"):
    dsl.importer(artifact_uri=uri, artifact_class=dsl.Dataset, reimport=False)


if __name__ == "__main__":
    compiler.Compiler().compile(import_data, "importer.yaml")
