//! Walking every page of a listing, as a state machine the transport drives.
//! It needs no clock: a page is asked for when the caller wants more.
//!
//! [`Pager::next_request`] gives the next page's request (or `None` when
//! done); the transport sends it and hands the page to [`Pager::handle_page`].
//! The cursor is the page's `last_id` (or its last item's id). The walk
//! ends when `has_more` is false. A server that hands back a cursor it
//! already gave (`a`, `b`, `a`, …), or claims more without giving a cursor,
//! ends it with [`PaginationError`], so no server can loop it forever.

use std::collections::{HashSet, VecDeque};

use videos_types::{Video, VideoList};

use crate::error::{Error, PaginationError};
use crate::ops::ListVideos;

/// The pagination state machine.
#[derive(Debug, Clone)]
pub struct Pager {
    next: Option<ListVideos>,
    pages: usize,
    /// Every cursor followed so far.
    seen: HashSet<String>,
}

impl Pager {
    /// Walks the listing `first` describes, starting with its page.
    pub fn new(first: ListVideos) -> Self {
        let seen = first.after.iter().cloned().collect();
        Self { next: Some(first), pages: 0, seen }
    }

    /// The request for the next page, or `None` when the walk is over.
    pub fn next_request(&self) -> Option<&ListVideos> {
        self.next.as_ref()
    }

    /// How many pages were handled.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Hands over the page the last request returned. An error ends the walk.
    pub fn handle_page(&mut self, page: &VideoList) -> Result<(), PaginationError> {
        self.pages += 1;
        let Some(current) = self.next.take() else { return Ok(()) };
        // A page that does not say whether more follow ends the walk.
        if page.has_more != Some(true) {
            return Ok(());
        }
        let cursor = page.last_id.clone().filter(|c| !c.is_empty()).or_else(|| page.data.last().map(|v| v.id.clone()));
        let stop = |cursor, reason| PaginationError { pages: self.pages, cursor, reason };
        match cursor {
            None => Err(stop(None, "a page claimed more but gave no cursor to go on from")),
            Some(cursor) if self.seen.contains(&cursor) => {
                Err(stop(Some(cursor), "the service handed back a cursor it had already given"))
            }
            Some(cursor) => {
                self.seen.insert(cursor.clone());
                self.next = Some(ListVideos { after: Some(cursor), ..current });
                Ok(())
            }
        }
    }
}

/// Every job across pages, one at a time: the state behind `list_all` in
/// both clients, which only fetch the pages it asks for.
#[derive(Debug)]
pub struct PageWalk {
    pager: Pager,
    buffered: VecDeque<Video>,
    ended: bool,
    /// An error to report once the jobs before it are out.
    failed: Option<Error>,
}

/// What a [`PageWalk`] wants next.
#[derive(Debug)]
#[must_use]
pub enum WalkStep {
    /// The next job.
    Yield(Box<Video>),
    /// Fetch this page and hand it to [`PageWalk::handle_page`].
    Fetch(ListVideos),
    /// The walk cannot go on: report this, then stop.
    Fail(Error),
    /// No more jobs.
    End,
}

impl PageWalk {
    /// Walks the listing `first` describes.
    pub fn new(first: ListVideos) -> Self {
        Self { pager: Pager::new(first), buffered: VecDeque::new(), ended: false, failed: None }
    }

    /// What to do next.
    pub fn next_step(&mut self) -> WalkStep {
        if let Some(video) = self.buffered.pop_front() {
            return WalkStep::Yield(Box::new(video));
        }
        if let Some(error) = self.failed.take() {
            return WalkStep::Fail(error);
        }
        match self.pager.next_request() {
            Some(request) if !self.ended => WalkStep::Fetch(request.clone()),
            _ => WalkStep::End,
        }
    }

    /// Hands over the page a [`WalkStep::Fetch`] returned.
    pub fn handle_page(&mut self, page: VideoList) {
        if let Err(e) = self.pager.handle_page(&page) {
            self.ended = true;
            self.failed = Some(e.into());
        }
        self.buffered.extend(page.data);
    }

    /// Fetching a page failed: the caller gets the error, and the walk ends.
    pub fn handle_error(&mut self) {
        self.ended = true;
    }
}
