//! Typed handles: values that flow between tasks (`Param<T>`, `Artifact<K>`) and the artifact slots of
//! a component signature (`Input<K>`, `Output<K>`, `OutputParam<T>`).

use crate::model::{ArtifactSrc, ValueSrc};
use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::artifact::ArtifactKind;

/// A typed parameter value: a pipeline parameter or a task's output parameter.
///
/// `Param<T>` is a small `Copy` handle; it feeds component inputs of type `T` / `Param<T>` and nothing
/// else, which rustc checks.
pub struct Param<T> {
    pub(crate) src: ValueSrc,
    _t: PhantomData<fn() -> T>,
}

impl<T> Clone for Param<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Param<T> {}

impl<T> Param<T> {
    pub(crate) fn from_src(src: ValueSrc) -> Self {
        Param { src, _t: PhantomData }
    }

    /// The handle a component body sees for its input `name`.
    #[doc(hidden)]
    pub fn __component_input(name: &'static str) -> Self {
        Self::from_src(ValueSrc::ComponentInput(name))
    }
}

impl<T> fmt::Debug for Param<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Param<{}>({:?})", std::any::type_name::<T>(), self.src)
    }
}

/// A typed artifact (file or directory in the artifact store) produced by a task.
///
/// `Artifact<K>` feeds `Input<K>` and `Input<AnyArtifact>`, never an input of another kind.
///
/// A loop whose body returns an `Artifact<K>` gives an `Artifact<Vec<K>>`: the artifacts of all its
/// iterations, which feeds `Input<Vec<K>>`.
pub struct Artifact<K> {
    pub(crate) src: ArtifactOrigin,
    _k: PhantomData<fn() -> K>,
}

/// Where an artifact handle comes from: one task's output, or the outputs a loop collected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ArtifactOrigin {
    /// A task's output artifact.
    Task(ArtifactSrc),
    /// The artifacts a loop body returned, collected over its iterations (a `ValueSrc::LoopOutput`).
    Collected(ValueSrc),
}

impl ArtifactOrigin {
    /// The task argument this handle makes.
    pub(crate) fn arg(self) -> crate::model::ArgValue {
        match self {
            ArtifactOrigin::Task(a) => crate::model::ArgValue::Artifact(a),
            ArtifactOrigin::Collected(v) => crate::model::ArgValue::ArtifactList(v),
        }
    }
}

impl<K> Clone for Artifact<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K> Copy for Artifact<K> {}

impl<K: ArtifactKind> Artifact<K> {
    pub(crate) fn from_src(src: ArtifactSrc) -> Self {
        Artifact { src: ArtifactOrigin::Task(src), _k: PhantomData }
    }

    /// The artifacts a loop collected (`src` is a `ValueSrc::LoopOutput`).
    pub(crate) fn collected(src: ValueSrc) -> Self {
        Artifact { src: ArtifactOrigin::Collected(src), _k: PhantomData }
    }
}

impl<K> fmt::Debug for Artifact<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Artifact<{}>({:?})", std::any::type_name::<K>(), self.src)
    }
}

/// Paths given to `Input::at` / `Output::at`, so the handles stay `Copy`.
static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register_path(path: PathBuf) -> u32 {
    let mut paths = PATHS.lock().unwrap_or_else(|e| e.into_inner());
    paths.push(path);
    (paths.len() - 1) as u32
}

fn registered_path(index: u32) -> PathBuf {
    let paths = PATHS.lock().unwrap_or_else(|e| e.into_inner());
    paths.get(index as usize).cloned().unwrap_or_default()
}

macro_rules! slot {
    ($(#[$doc:meta])* $name:ident<$p:ident>, $convention:path) => {
        $(#[$doc])*
        pub struct $name<$p> {
            name: &'static str,
            path: Option<u32>,
            _k: PhantomData<fn() -> $p>,
        }

        impl<$p> Clone for $name<$p> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<$p> Copy for $name<$p> {}

        // No bound here: a wrong type is reported once, where the component's spec is built.
        impl<$p> $name<$p> {
            /// The slot a component body sees for its argument `name`.
            #[doc(hidden)]
            pub fn __component_slot(name: &'static str) -> Self {
                $name { name, path: None, _k: PhantomData }
            }

            /// A slot at a real path: what a Rust function component's body gets when it runs (and
            /// what a test passes to `component::run`).
            pub fn at(path: impl Into<PathBuf>) -> Self {
                $name { name: "", path: Some(register_path(path.into())), _k: PhantomData }
            }

            /// The name of the component input or output this slot stands for (empty for `at`).
            pub fn name(&self) -> &'static str {
                self.name
            }

            /// The file or directory: the real path when the step runs, or the path the container
            /// sees (`/tmp/inputs/<name>/data`, `/tmp/outputs/<name>/data`) in a container body.
            pub fn path(&self) -> PathBuf {
                match self.path {
                    Some(i) => registered_path(i),
                    None => PathBuf::from($convention(self.name)),
                }
            }
        }

        impl<$p> fmt::Debug for $name<$p> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}<{}>({})", stringify!($name), std::any::type_name::<$p>(), self.path().display())
            }
        }
    };
}

slot! {
    /// An input artifact in a component signature: a file or directory the step reads.
    ///
    /// In a container component's body it renders as the path where the artifact is placed; in a Rust
    /// function component's body, `path()` is where to read it.
    Input<K>, crate::paths::input_path
}
slot! {
    /// An output artifact in a component signature: a file or directory the step writes.
    ///
    /// In a container component's body it renders as the path the step must write; in the pipeline the
    /// task handle has a field of the same name, an [`Artifact<K>`]. In a Rust function component's
    /// body, `path()` is where to write it (its directory exists).
    Output<K>, crate::paths::output_path
}
slot! {
    /// An output parameter in a container component signature: a file the step writes its value to.
    ///
    /// In the body it renders as that file's path; in the pipeline the task handle has a field of the
    /// same name, a [`Param<T>`].
    OutputParam<T>, crate::paths::output_path
}
