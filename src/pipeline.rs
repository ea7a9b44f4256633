//! The build job. (to be written)
