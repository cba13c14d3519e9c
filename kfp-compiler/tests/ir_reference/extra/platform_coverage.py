"""The kfp-kubernetes settings and placeholders the shared references do not use, compiled by kfp 2.17.3
with kfp-kubernetes 2.17.3 to platform_coverage.yaml (`python3 platform_coverage.py`).

Shows: a loop over a pipeline parameter (`items.inputParameter`); a PVC and a secret named by pipeline
parameters inside it (`componentInputParameter: pipelinechannel--...`); IfPresent / Concat with Else;
optional inputs; an importer of a constant URI with reimport; config maps as env and volume; emptyDir; field path as env; a generic ephemeral volume;
an image pull secret; a preferred node affinity; a toleration with tolerationSeconds.
"""
from kfp import compiler, dsl, kubernetes


@dsl.container_component
def use(x: str):
    return dsl.ContainerSpec(image='alpine:3.18', command=['echo', x])


@dsl.container_component
def opt(x: str, y: str = None, d: dsl.Input[dsl.Dataset] = None):
    return dsl.ContainerSpec(
        image='alpine:3.18',
        command=['echo', x],
        args=[dsl.IfPresentPlaceholder(input_name='y', then=['--y', dsl.ConcatPlaceholder(['v=', y])], else_=['--no-y'])])


@dsl.pipeline(name='platform-coverage')
def pipeline(items: list = ['a', 'b'], pvc: str = 'shared-data', sec: str = 'api-token'):
    with dsl.ParallelFor(items) as it:
        t = use(x=it)
        kubernetes.mount_pvc(t, pvc_name=pvc, mount_path='/data')
        kubernetes.use_secret_as_env(t, secret_name=sec, secret_key_to_env={'token': 'TOKEN'})
    o = opt(x='a')
    dsl.importer(artifact_uri='gs://example-bucket/model', artifact_class=dsl.Model, reimport=True)
    kubernetes.add_toleration(o, key='spot', operator='Equal', value='true', effect='NoExecute', toleration_seconds=30)
    kubernetes.empty_dir_mount(o, volume_name='scratch', mount_path='/scratch', medium='Memory', size_limit='1Gi')
    kubernetes.use_field_path_as_env(o, env_name='POD_NAME', field_path='metadata.name')
    kubernetes.add_ephemeral_volume(o, volume_name='eph', mount_path='/eph', access_modes=['ReadWriteOnce'],
                                    size='5Gi', storage_class_name='fast', labels={'app': 'kfp'})
    kubernetes.set_image_pull_secrets(o, ['regcred'])
    kubernetes.use_config_map_as_env(o, config_map_name='settings', config_map_key_to_env={'level': 'LOG_LEVEL'})
    kubernetes.use_config_map_as_volume(o, config_map_name='settings', mount_path='/etc/settings')
    kubernetes.add_node_affinity(o, match_expressions=[{'key': 'zone', 'operator': 'In', 'values': ['a']}], weight=50)


if __name__ == '__main__':
    compiler.Compiler().compile(pipeline, 'platform_coverage.yaml')
