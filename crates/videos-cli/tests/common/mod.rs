//! What several CLI test files share.

/// A child process killed when the test ends, passed or failed, so none is
/// left holding the test's output pipes.
pub(crate) struct Reaped(pub(crate) std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
