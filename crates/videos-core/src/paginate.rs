//! Walking every page of a listing, as a state machine the transport drives.
//!
//! [`Pager::next_request`] gives the next page's request (or `None` when
//! done); the transport sends it and hands the page to [`Pager::handle_page`].
//! The cursor is the page's `last_id` (or its last item's id). The walk
//! ends when `has_more` is false, on an empty page, or if the service hands
//! back a cursor it already gave, so a misbehaving server cannot loop it.

use std::collections::VecDeque;

use videos_types::{Video, VideoList};

use crate::ops::ListVideos;

/// The pagination state machine.
#[derive(Debug, Clone)]
pub struct Pager {
    next: Option<ListVideos>,
    pages: usize,
}

impl Pager {
    /// Walks the listing `first` describes, starting with its page.
    pub fn new(first: ListVideos) -> Self {
        Self { next: Some(first), pages: 0 }
    }

    /// The request for the next page, or `None` when the walk is over.
    pub fn next_request(&self) -> Option<&ListVideos> {
        self.next.as_ref()
    }

    /// How many pages were handled.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Hands over the page the last request returned.
    pub fn handle_page(&mut self, page: &VideoList) {
        self.pages += 1;
        let Some(current) = self.next.take() else { return };
        if !page.has_more || page.data.is_empty() {
            return;
        }
        let cursor = page.last_id.clone().or_else(|| page.data.last().map(|v| v.id.clone()));
        match cursor {
            Some(cursor) if !cursor.is_empty() && current.after.as_deref() != Some(cursor.as_str()) => {
                self.next = Some(ListVideos { after: Some(cursor), ..current });
            }
            _ => {}
        }
    }
}

/// Every job across pages, one at a time: the state behind `list_all` in
/// both clients, which only fetch the pages it asks for.
#[derive(Debug, Clone)]
pub struct PageWalk {
    pager: Pager,
    buffered: VecDeque<Video>,
    ended: bool,
}

/// What a [`PageWalk`] wants next.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub enum WalkStep {
    /// The next job.
    Yield(Box<Video>),
    /// Fetch this page and hand it to [`PageWalk::handle_page`].
    Fetch(ListVideos),
    /// No more jobs.
    End,
}

impl PageWalk {
    /// Walks the listing `first` describes.
    pub fn new(first: ListVideos) -> Self {
        Self { pager: Pager::new(first), buffered: VecDeque::new(), ended: false }
    }

    /// What to do next.
    pub fn next_step(&mut self) -> WalkStep {
        if let Some(video) = self.buffered.pop_front() {
            return WalkStep::Yield(Box::new(video));
        }
        match self.pager.next_request() {
            Some(request) if !self.ended => WalkStep::Fetch(request.clone()),
            _ => WalkStep::End,
        }
    }

    /// Hands over the page a [`WalkStep::Fetch`] returned.
    pub fn handle_page(&mut self, page: VideoList) {
        self.pager.handle_page(&page);
        self.buffered.extend(page.data);
    }

    /// Fetching a page failed: the caller gets the error, and the walk ends.
    pub fn handle_error(&mut self) {
        self.ended = true;
    }
}
