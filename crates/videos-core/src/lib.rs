//! videos-core: see README.
