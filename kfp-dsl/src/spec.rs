//! Building component specs with typed inputs and outputs, and what a component body may return.

use crate::artifact::ArtifactKind;
use crate::model::{ComponentSpec, ContainerSpec, Implementation, IoKind, OutputSpec};
use crate::types::ParamType;

/// What a `#[container_component]` body returns: a [`ContainerSpec`], or a
/// [`ResourceSpec`](crate::ResourceSpec) for a resource step.
pub trait ComponentBody {
    /// Makes `spec` run this body; `default_image` is the component's `image = ...`.
    #[doc(hidden)]
    fn __into_spec(self, spec: ComponentSpec, default_image: Option<&str>) -> ComponentSpec;
}

impl ComponentBody for ContainerSpec {
    fn __into_spec(self, spec: ComponentSpec, default_image: Option<&str>) -> ComponentSpec {
        spec.container(self, default_image)
    }
}

impl ComponentBody for crate::model::ResourceSpec {
    fn __into_spec(mut self, mut spec: ComponentSpec, _default_image: Option<&str>) -> ComponentSpec {
        // Outputs follow the signature's order, whatever order `.output(..)` was called in.
        self.outputs.sort_by_key(|(n, _)| spec.outputs.iter().position(|o| &o.name == n));
        spec.implementation = Implementation::Resource(self);
        spec
    }
}

impl ComponentSpec {
    /// Adds a parameter input of type `T`.
    #[must_use]
    pub fn input_param<T: ParamType>(self, name: &str, description: Option<&str>) -> Self {
        self.with_input(name, IoKind::Parameter { type_name: T::KFP_TYPE.to_owned() }, description)
    }

    /// Adds an artifact input of kind `K`.
    #[must_use]
    pub fn input_artifact<K: ArtifactKind>(self, name: &str, description: Option<&str>) -> Self {
        self.with_input(name, IoKind::Artifact { type_name: K::KFP_TYPE.to_owned(), list: K::LIST }, description)
    }

    /// Adds a parameter output of type `T`.
    #[must_use]
    pub fn output_param<T: ParamType>(self, name: &str, description: Option<&str>) -> Self {
        self.with_output(name, IoKind::Parameter { type_name: T::KFP_TYPE.to_owned() }, description)
    }

    /// Adds an artifact output of kind `K`.
    #[must_use]
    pub fn output_artifact<K: ArtifactKind>(self, name: &str, description: Option<&str>) -> Self {
        let name = K::FIXED_NAME.unwrap_or(name);
        self.with_output(name, IoKind::Artifact { type_name: K::KFP_TYPE.to_owned(), list: K::LIST }, description)
    }

    /// Sets what the component runs: a container or a resource step.
    #[must_use]
    pub fn body(self, body: impl ComponentBody, default_image: Option<&str>) -> Self {
        body.__into_spec(self, default_image)
    }

    /// Adds the output parameters a function returning `R` has.
    #[must_use]
    pub fn returns<R: crate::function::ComponentReturn>(mut self) -> Self {
        let mut ports = Vec::new();
        R::__ports(&mut ports);
        for (name, type_name) in ports {
            self.outputs.push(OutputSpec {
                name: name.to_owned(),
                kind: IoKind::Parameter { type_name: type_name.to_owned() },
                description: None,
            });
        }
        self
    }
}
