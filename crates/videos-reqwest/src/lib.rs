//! videos-reqwest: see README.
