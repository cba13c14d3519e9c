//! kfp
