//! videos-blocking: see README.
