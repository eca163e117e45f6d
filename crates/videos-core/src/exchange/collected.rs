//! A body being collected, without copying when it arrives in one piece.

use bytes::{Bytes, BytesMut};

/// A body being collected, without copying when it arrives in one piece.
#[derive(Debug, Default)]
pub(super) enum Collected {
    #[default]
    Empty,
    One(Bytes),
    Many(BytesMut),
}

impl Collected {
    pub(super) fn len(&self) -> usize {
        match self {
            Collected::Empty => 0,
            Collected::One(b) => b.len(),
            Collected::Many(b) => b.len(),
        }
    }

    pub(super) fn push(&mut self, chunk: Bytes) {
        *self = match std::mem::take(self) {
            Collected::Empty => Collected::One(chunk),
            Collected::One(first) => {
                let mut all = BytesMut::with_capacity(first.len() + chunk.len());
                all.extend_from_slice(&first);
                all.extend_from_slice(&chunk);
                Collected::Many(all)
            }
            Collected::Many(mut all) => {
                all.extend_from_slice(&chunk);
                Collected::Many(all)
            }
        }
    }

    pub(super) fn into_bytes(self) -> Bytes {
        match self {
            Collected::Empty => Bytes::new(),
            Collected::One(b) => b,
            Collected::Many(b) => b.freeze(),
        }
    }
}
