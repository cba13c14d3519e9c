//! The KFP v2 IR's rules, as the KFP 2.x API server checks a `PipelineSpec` and its `PlatformSpec`.
