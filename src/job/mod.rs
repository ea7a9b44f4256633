//! Translation jobs: analysis, pre-translated packages, and the way back into the TM.
//! (Engineer A's job model joins this file; until then it only declares the packages.)

pub mod package;
pub mod finish;
pub mod prepare;
