//! A job's media, rendered when first needed: by the request that starts
//! the job (in the background) or by the first download, whichever comes
//! first, and at most once at a time per job in this process. The files
//! live in the job's folder of the state directory, so a job created by one
//! process is rendered by the one that downloads it; renders in two
//! processes at once write their own temporary files, and each rename
//! leaves the same complete bytes.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OnceCell, Semaphore};

use crate::render::{self, RenderJob, Rendered};
use crate::state::Job;

/// One render's outcome, shared by everyone waiting for it.
type Outcome = Arc<OnceCell<Result<Rendered, String>>>;

/// The renders running in this process.
#[derive(Debug, Default)]
pub(crate) struct Renders {
    running: Mutex<HashMap<String, Outcome>>,
}

impl Renders {
    /// The media of `job`, rendered into `dir` now unless they are there.
    /// `slots` bounds how many renders run at once.
    pub(crate) async fn ensure(&self, job: &Job, dir: &Path, fps: u32, slots: &Semaphore) -> Result<Rendered, String> {
        let files = Rendered::in_dir(dir);
        if files.exist() {
            return Ok(files);
        }
        let id = job.video.id.clone();
        let outcome =
            self.running.lock().unwrap_or_else(PoisonError::into_inner).entry(id.clone()).or_default().clone();
        let result = outcome
            .get_or_init(|| async {
                let _permit = slots.acquire().await.map_err(|e| e.to_string())?;
                let (width, height) = job.video.size.as_ref().and_then(|s| s.dimensions()).unwrap_or((720, 1280));
                let render_job = RenderJob {
                    segments: job.segments.clone(),
                    title: job.video.id.clone(),
                    subtitle: job.video.prompt.clone().unwrap_or_default(),
                    width: width as usize,
                    height: height as usize,
                    fps,
                };
                let dir = dir.to_owned();
                tokio::task::spawn_blocking(move || render::render(&render_job, &dir))
                    .await
                    .unwrap_or_else(|e| Err(format!("the render task failed: {e}")))
            })
            .await
            .clone();
        // Done either way: the files are there now, or a later request tries again.
        self.running.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
        result
    }
}
