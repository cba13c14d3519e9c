//! The Kubeflow Pipelines v1 backend's rules for an Argo workflow it runs.
